import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { reservationGate } from '../../relay/reservation-gate.ts'
import type { RelayReservation } from '@libp2p/circuit-relay-v2'
import type { Connection, PeerId } from '@libp2p/interface'

async function peer (): Promise<PeerId> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
}

/** A reservation table and connection list as the gate sees them. */
function world (): { reserve: (p: PeerId, ip: string) => void, connect: (p: PeerId, addr: string, limited?: boolean) => void, gate: ReturnType<typeof reservationGate> } {
  const reservations = new Map<string, RelayReservation>()
  const connections = new Map<string, Connection[]>()
  const gate = reservationGate({
    maxReservationsPerIp: 2,
    reservations: () => ({ has: p => reservations.has(p.toString()), values: () => reservations.values() }),
    connections: p => connections.get(p.toString()) ?? []
  })
  return {
    gate,
    reserve: (p, ip) => { reservations.set(p.toString(), { addr: multiaddr(`/${ip.includes(':') ? 'ip6' : 'ip4'}/${ip}/tcp/1234/ws/p2p/${p.toString()}`) } as unknown as RelayReservation) },
    connect: (p, addr, limited = false) => {
      const list = connections.get(p.toString()) ?? []
      list.push({ remoteAddr: multiaddr(addr), limits: limited ? { bytes: 1n } : undefined } as unknown as Connection)
      connections.set(p.toString(), list)
    }
  }
}

describe('reservationGate', () => {
  it('lets each address hold its share of reservations and refuses the next', async () => {
    const { gate, reserve, connect } = world()
    const [a, b, c, d] = await Promise.all([peer(), peer(), peer(), peer()])
    reserve(a, '192.0.2.1')
    reserve(b, '192.0.2.1')
    connect(c, '/ip4/192.0.2.1/tcp/5000/ws')
    connect(d, '/ip4/198.51.100.1/tcp/5000/ws')
    expect(gate.denyInboundRelayReservation?.(c)).toBe(true)
    expect(gate.denyInboundRelayReservation?.(d)).toBe(false)
  })

  it('never refuses a peer refreshing its own reservation', async () => {
    const { gate, reserve, connect } = world()
    const [a, b] = await Promise.all([peer(), peer()])
    reserve(a, '192.0.2.1')
    reserve(b, '192.0.2.1')
    connect(a, '/ip4/192.0.2.1/tcp/5000/ws')
    expect(gate.denyInboundRelayReservation?.(a)).toBe(false)
  })

  it('counts an IPv6 /64 as one address', async () => {
    const { gate, reserve, connect } = world()
    const [a, b, c, d] = await Promise.all([peer(), peer(), peer(), peer()])
    reserve(a, '2001:db8::1')
    reserve(b, '2001:db8::2')
    connect(c, '/ip6/2001:db8::ffff/tcp/5000/ws')
    connect(d, '/ip6/2001:db8:0:1::1/tcp/5000/ws')
    expect(gate.denyInboundRelayReservation?.(c)).toBe(true)
    expect(gate.denyInboundRelayReservation?.(d)).toBe(false)
  })

  it('refuses a peer with no direct connection (relayed ones name the relay, not the peer)', async () => {
    const { gate, connect } = world()
    const [a, b] = await Promise.all([peer(), peer()])
    connect(a, `/ip4/192.0.2.9/tcp/1/ws/p2p/${b.toString()}/p2p-circuit`, true)
    expect(gate.denyInboundRelayReservation?.(a)).toBe(true)
    expect(gate.denyInboundRelayReservation?.(b)).toBe(true)
  })
})

import { logger } from '@libp2p/logger'
import { DIAL_TIMEOUT_MS } from '../constants.ts'
import { LimitedConnectionError } from '../errors.ts'
import { BLOCK_PROTOCOL } from './protocols.ts'
import type { Connection, Libp2p, PeerInfo, Stream } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

const log = logger('chiral:network:connect')

/**
 * Addresses worth dialing for data: a plain `/p2p-circuit` address would give a
 * limited relayed connection (and may even hijack a later WebRTC dial), so only
 * WebRTC-over-circuit and non-relayed addresses are kept.
 */
export function directAddresses (addrs: Multiaddr[]): Multiaddr[] {
  return addrs.filter(addr => isWebRTC(addr) || !hasProtocol(addr, 'p2p-circuit'))
}

function isWebRTC (addr: Multiaddr): boolean {
  return hasProtocol(addr, 'webrtc')
}

function hasProtocol (addr: Multiaddr, name: string): boolean {
  return addr.getComponents().some(component => component.name === name)
}

/**
 * Dial a provider and open a block stream over a direct (unlimited) connection.
 * kad-dht may already hold a limited relayed connection to it; then we dial the
 * WebRTC address again rather than push blocks through the relay.
 */
export async function openBlockStream (libp2p: Libp2p, provider: PeerInfo, signal: AbortSignal): Promise<{ connection: Connection, stream: Stream }> {
  const dialSignal = AbortSignal.any([signal, AbortSignal.timeout(DIAL_TIMEOUT_MS)])
  const known = provider.multiaddrs.length > 0 ? provider.multiaddrs : (await libp2p.peerStore.get(provider.id).catch(() => undefined))?.addresses.map(a => a.multiaddr) ?? []
  const addrs = directAddresses(known)
  const existing = libp2p.getConnections(provider.id).find(c => c.limits == null && c.status === 'open')
  let connection = existing ?? await libp2p.dial(addrs.length > 0 ? addrs : provider.id, { signal: dialSignal })
  for (let attempt = 0; connection.limits != null && attempt < 2; attempt++) {
    log('connection to %p is limited, dialing WebRTC again', provider.id)
    const webrtc = addrs.filter(isWebRTC)
    if (webrtc.length === 0) break
    connection = await libp2p.dial(webrtc, { signal: dialSignal, force: true })
  }
  if (connection.limits != null) throw new LimitedConnectionError(provider.id.toString())
  const stream = await connection.newStream(BLOCK_PROTOCOL, { signal: dialSignal })
  return { connection, stream }
}

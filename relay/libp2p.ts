import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { circuitRelayServer, type CircuitRelayService } from '@libp2p/circuit-relay-v2'
import { identify, type Identify } from '@libp2p/identify'
import { kadDHT, passthroughMapper, removePrivateAddressesMapper, type KadDHT } from '@libp2p/kad-dht'
import { ping, type Ping } from '@libp2p/ping'
import { webSockets } from '@libp2p/websockets'
import { createLibp2p, type Libp2p } from 'libp2p'
import { DHT_PROTOCOL } from '../app/core/network/protocols.ts'
import { isPrivateHost, isPrivateMultiaddr } from './address-scope.ts'
import { freeReservationsOnDisconnect } from './free-reservations.ts'
import type { PrivateKey } from '@libp2p/interface'

/**
 * Reservations the relay holds at once: one per open browser tab. The default
 * (15, freed only when their 2 h TTL ends) locks out the 16th tab.
 */
export const MAX_RESERVATIONS = 1024
/** Every reserved tab keeps a connection; leave room for DHT queries and dials. */
export const MAX_CONNECTIONS = MAX_RESERVATIONS + 256
/**
 * New connections per second one remote IP may open (libp2p's default is 5).
 * Behind an https/wss proxy, or in a local test with many tabs, every peer
 * arrives from the same address.
 */
export const INBOUND_CONNECTIONS_PER_HOST_PER_SECOND = 100
/** Connections still negotiating encryption/muxer at once (default 10). */
export const MAX_INCOMING_PENDING_CONNECTIONS = 128

export interface RelayNodeInit {
  privateKey: PrivateKey
  /** IP address to listen on. */
  host: string
  /** WebSocket port; 0 picks a free one. */
  wsPort: number
  /** Multiaddrs to advertise instead of the listen addresses. Default: none. */
  announce?: string[]
}

// a type alias, not an interface: libp2p's ServiceMap needs an index signature
export type RelayServices = {
  identify: Identify
  ping: Ping
  relay: CircuitRelayService
  dht: KadDHT
}

export type RelayNode = Libp2p<RelayServices>

/**
 * A local/dev relay (loopback or LAN addresses) must keep private addresses in
 * DHT records, or browsers on the same machine never find each other.
 */
export function isLocalSetup (init: Pick<RelayNodeInit, 'host' | 'announce'>): boolean {
  const announce = init.announce ?? []
  if (announce.length > 0) return announce.some(addr => isPrivateMultiaddr(addr))
  return isPrivateHost(init.host)
}

/** Create and start the relay: circuit relay v2 server + kad-dht server, over plain WebSockets. */
export async function createRelayNode (init: RelayNodeInit): Promise<RelayNode> {
  const ip = init.host.includes(':') ? 'ip6' : 'ip4'
  const node = await createLibp2p({
    privateKey: init.privateKey,
    addresses: {
      listen: [`/${ip}/${init.host}/tcp/${init.wsPort}/ws`],
      announce: init.announce ?? []
    },
    transports: [webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: {
      maxConnections: MAX_CONNECTIONS,
      inboundConnectionThreshold: INBOUND_CONNECTIONS_PER_HOST_PER_SECOND,
      maxIncomingPendingConnections: MAX_INCOMING_PENDING_CONNECTIONS
    },
    services: {
      identify: identify(),
      ping: ping(),
      // data (128 KiB) and duration (2 min) limits stay at their defaults: they
      // keep bulk transfers off the relay and on direct WebRTC connections
      relay: circuitRelayServer({
        reservations: { maxReservations: MAX_RESERVATIONS }
      }),
      dht: kadDHT({
        protocol: DHT_PROTOCOL,
        // a server from the start: auto mode waits for a public address, which a local relay never has
        clientMode: false,
        peerInfoMapper: isLocalSetup(init) ? passthroughMapper : removePrivateAddressesMapper
      })
    }
  })
  freeReservationsOnDisconnect(node)
  return node
}

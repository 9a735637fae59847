import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { circuitRelayServer, type CircuitRelayService } from '@libp2p/circuit-relay-v2'
import { identify, type Identify } from '@libp2p/identify'
import { kadDHT, passthroughMapper, removePrivateAddressesMapper, type KadDHT } from '@libp2p/kad-dht'
import { peerIdFromString } from '@libp2p/peer-id'
import { ping, type Ping } from '@libp2p/ping'
import { createLibp2p, type Libp2p } from 'libp2p'
import { DHT_PROTOCOL } from '../app/core/network/protocols.ts'
import { isPrivateHost, isPrivateMultiaddr } from './address-scope.ts'
import { freeReservationsOnDisconnect } from './free-reservations.ts'
import { closeIdleConnections } from './idle-connections.ts'
import { DEFAULT_LIMITS, maxConnectionsOf, type RelayLimits } from './limits.ts'
import { ipKeysOf } from './peer-address.ts'
import { ProviderRecordStore } from './provider-store.ts'
import { reservationGate } from './reservation-gate.ts'
import { withStreamIdleTimeout } from './stream-idle.ts'
import { relayWebSockets } from './ws-transport/index.ts'
import type { PrivateKey } from '@libp2p/interface'
import type { IncomingMessage, Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * New connections per second one remote IP may open (libp2p's default is 5).
 * Behind NAT, or in a local test with many tabs, many peers share an address.
 */
export const INBOUND_CONNECTIONS_PER_HOST_PER_SECOND = 100
/**
 * Connections still negotiating encryption/muxer at once, from everyone (libp2p
 * default 10). Per address the listener allows MAX_HANDSHAKES_PER_IP, so 16
 * addresses are needed to fill this.
 */
export const MAX_INCOMING_PENDING_CONNECTIONS = 256
/**
 * How often kad-dht's reprovider deletes expired provider records (its default
 * is hourly). Until then an expired record is still served, so keep it short;
 * a sweep walks the in-memory records only.
 */
export const PROVIDER_SWEEP_INTERVAL_MS = 10 * 60_000

/** A short TTL (tests, experiments) is swept at a quarter of itself, so records go at most 25 % late. */
export function providerSweepIntervalOf (ttlMs: number): number {
  return Math.min(PROVIDER_SWEEP_INTERVAL_MS, Math.max(1, Math.floor(ttlMs / 4)))
}

export interface RelayNodeInit {
  privateKey: PrivateKey
  /** The relay's public HTTP(S) server, already listening: libp2p takes its WebSocket upgrades. */
  server: Server
  /** True when `server` is an https server (listen and announce /tls/ws). */
  secure: boolean
  /** Multiaddrs to advertise instead of the listen addresses. Default: none. */
  announce?: string[]
  limits?: RelayLimits
  /** Whom a WebSocket comes from (behind a trusted proxy: X-Forwarded-For). Default: the socket's address. */
  clientAddress?: (req: IncomingMessage) => string
  /** A DHT provider record was deleted (expired): for logs, metrics and tests. */
  onProviderRemoved?: (cid: string, peer: string) => void
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
export function isLocalSetup (init: { host: string, announce?: string[] }): boolean {
  const announce = init.announce ?? []
  if (announce.length > 0) return announce.some(addr => isPrivateMultiaddr(addr))
  return isPrivateHost(init.host)
}

/**
 * Create and start the relay: circuit relay v2 server + kad-dht server, over
 * WebSockets on the relay's own HTTP(S) port, with the bounds of relay/limits.ts.
 */
export async function createRelayNode (init: RelayNodeInit): Promise<RelayNode> {
  const limits = init.limits ?? DEFAULT_LIMITS
  const address = init.server.address() as AddressInfo | null
  if (address == null) throw new Error('createRelayNode needs a listening server')
  const ip = address.family === 'IPv6' ? 'ip6' : 'ip4'
  const listen = `/${ip}/${address.address}/tcp/${address.port}/${init.secure ? 'tls/ws' : 'ws'}`

  // the gater and the datastore are made before the node they ask about
  let node: RelayNode | undefined
  const connectionsOf = (peer: string): ReturnType<RelayNode['getConnections']> =>
    node?.getConnections(peerIdFromString(peer)) ?? []
  node = await createLibp2p({
    privateKey: init.privateKey,
    datastore: new ProviderRecordStore({
      maxPerPeer: limits.maxProvidersPerPeer,
      maxPerIp: limits.maxProvidersPerIp,
      maxTotal: limits.maxProviders,
      ipOfPeer: peer => ipKeysOf(connectionsOf(peer))[0],
      ...(init.onProviderRemoved != null ? { onRemoved: init.onProviderRemoved } : {})
    }),
    addresses: { listen: [listen], announce: init.announce ?? [] },
    transports: [relayWebSockets({
      server: init.server,
      secure: init.secure,
      maxMessageBytes: limits.maxMessageBytes,
      maxHandshakesPerIp: limits.maxHandshakesPerIp,
      ...(init.clientAddress != null ? { clientAddress: init.clientAddress } : {})
    })],
    connectionEncrypters: [noise()],
    // yamux gives every stream this inactivityTimeout; withStreamIdleTimeout enforces it
    streamMuxers: [withStreamIdleTimeout(yamux({ streamOptions: { inactivityTimeout: limits.streamIdleTimeoutMs } }))],
    connectionGater: reservationGate({
      maxReservationsPerIp: limits.maxReservationsPerIp,
      reservations: () => node?.services.relay.reservations,
      connections: peer => node?.getConnections(peer) ?? []
    }),
    connectionManager: {
      maxConnections: maxConnectionsOf(limits),
      inboundConnectionThreshold: INBOUND_CONNECTIONS_PER_HOST_PER_SECOND,
      maxIncomingPendingConnections: MAX_INCOMING_PENDING_CONNECTIONS,
      inboundUpgradeTimeout: limits.handshakeTimeoutMs
    },
    services: {
      identify: identify(),
      ping: ping(),
      // data (128 KiB) and duration (2 min) limits stay at their defaults: they
      // keep bulk transfers off the relay and on direct WebRTC connections
      relay: circuitRelayServer({
        reservations: { maxReservations: limits.maxReservations }
      }),
      dht: kadDHT({
        protocol: DHT_PROTOCOL,
        // a server from the start: auto mode waits for a public address, which a local relay never has
        clientMode: false,
        peerInfoMapper: isLocalSetup({ host: address.address, announce: init.announce }) ? passthroughMapper : removePrivateAddressesMapper,
        // the relay provides nothing itself, so its reprovider only expires other peers' records
        reprovide: { validity: limits.providerTtlMs, interval: providerSweepIntervalOf(limits.providerTtlMs) }
      })
    }
  })
  freeReservationsOnDisconnect(node)
  closeIdleConnections(node, limits.idleConnectionTimeoutMs)
  return node
}

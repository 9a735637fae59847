import { logger } from '@libp2p/logger'
import { ipKey } from './ip-key.ts'
import { ipKeysOf, ipOfMultiaddr } from './peer-address.ts'
import type { RelayReservation } from '@libp2p/circuit-relay-v2'
import type { Connection, ConnectionGater, PeerId } from '@libp2p/interface'

const log = logger('chiral:relay:reservations')

/** What the gate reads of circuit-relay's reservation table (a PeerMap). */
export interface ReservationTable {
  has: (peer: PeerId) => boolean
  values: () => Iterable<RelayReservation>
}

export interface ReservationGateInit {
  /** Reservations one address (IPv4 address or IPv6 /64) may hold. */
  maxReservationsPerIp: number
  /** The relay's reservation table; undefined until the node exists. */
  reservations: () => ReservationTable | undefined
  /** The peer's open connections. */
  connections: (peer: PeerId) => Connection[]
}

/**
 * circuit-relay-v2 caps reservations only in total, so one address could take
 * them all. This gate (libp2p's `denyInboundRelayReservation`, which only gets
 * the peer id) finds the addresses the peer is connected from and refuses when
 * any of them already holds its share. A reservation remembers the address it
 * was made from; a peer refreshing its own reservation is never refused.
 */
export function reservationGate (init: ReservationGateInit): Pick<ConnectionGater, 'denyInboundRelayReservation'> {
  return {
    denyInboundRelayReservation: (peer: PeerId): boolean => {
      const reservations = init.reservations()
      if (reservations == null) return true
      if (reservations.has(peer)) return false
      const addresses = ipKeysOf(init.connections(peer))
      // reservations are only made over direct connections; no address means nothing to count against
      if (addresses.length === 0) return true
      const held = new Map<string, number>()
      for (const reservation of reservations.values()) {
        const ip = ipOfMultiaddr(reservation.addr)
        if (ip == null) continue
        const key = ipKey(ip)
        held.set(key, (held.get(key) ?? 0) + 1)
      }
      const full = addresses.find(address => (held.get(address) ?? 0) >= init.maxReservationsPerIp)
      if (full != null) log('refused a reservation to %p: %s already holds %d', peer, full, init.maxReservationsPerIp)
      return full != null
    }
  }
}

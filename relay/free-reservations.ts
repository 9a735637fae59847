import type { RelayNode } from './libp2p.ts'
import type { PeerId } from '@libp2p/interface'

/**
 * circuit-relay-v2 keeps a reservation until its TTL (2 h) even after the peer
 * has gone, and a reservation is useless without a live connection. Every tab
 * reload in incognito/e2e runs is a new peer, so without this the table fills.
 * Returns a function that stops watching.
 */
export function freeReservationsOnDisconnect (node: RelayNode): () => void {
  const onDisconnect = (evt: CustomEvent<PeerId>): void => {
    const reservation = node.services.relay.reservations.get(evt.detail)
    if (reservation == null) return
    // clear first: an expiring signal would later delete a newer reservation of the same peer
    reservation.signal.clear()
    node.services.relay.reservations.delete(evt.detail)
  }
  node.addEventListener('peer:disconnect', onDisconnect)
  return () => { node.removeEventListener('peer:disconnect', onDisconnect) }
}

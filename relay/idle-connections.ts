import { logger } from '@libp2p/logger'
import { IdleConnectionError } from './errors.ts'
import type { RelayNode } from './libp2p.ts'
import type { Connection } from '@libp2p/interface'

const log = logger('chiral:relay:idle')

/** libp2p's connection monitor pings every connection every 10 s: that is not activity. */
const KEEP_ALIVE_PROTOCOLS = new Set(['/ipfs/ping/1.0.0'])

/** Sweeps run four times per timeout: a connection is closed at most 25 % late. */
const SWEEPS_PER_TIMEOUT = 4

/**
 * Close libp2p connections that hold no circuit-relay reservation and have had
 * no stream (other than keep-alive pings) for `timeoutMs`, so connection slots
 * go to tabs that use them. Short streams between two sweeps go unseen; a
 * connection that only ever makes such streams and holds no reservation is
 * closed, and its peer dials again when it needs the relay.
 * Returns a function that stops the sweeps (they also stop with the node).
 */
export function closeIdleConnections (node: RelayNode, timeoutMs: number): () => void {
  const busySince = new WeakMap<Connection, number>()
  const sweep = (): void => {
    const now = Date.now()
    for (const connection of node.getConnections()) {
      if (isBusy(node, connection)) {
        busySince.set(connection, now)
        continue
      }
      const since = busySince.get(connection) ?? connection.timeline.open
      if (now - since < timeoutMs) continue
      log('closing idle connection to %p (%a)', connection.remotePeer, connection.remoteAddr)
      connection.close().catch(err => {
        connection.abort(new IdleConnectionError(`Closing an idle connection failed: ${(err as Error).message}`))
      })
    }
  }
  const timer = setInterval(sweep, Math.max(1, Math.floor(timeoutMs / SWEEPS_PER_TIMEOUT)))
  timer.unref()
  const stop = (): void => { clearInterval(timer) }
  node.addEventListener('stop', stop, { once: true })
  return stop
}

function isBusy (node: RelayNode, connection: Connection): boolean {
  if (node.services.relay.reservations.has(connection.remotePeer)) return true
  return connection.streams.some(stream => !KEEP_ALIVE_PROTOCOLS.has(stream.protocol))
}

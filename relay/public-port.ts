import { logger } from '@libp2p/logger'
import { PerIpCounter } from './per-ip-counter.ts'
import type { Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

const log = logger('chiral:relay:port')

export interface PublicPortInit {
  /** TCP sockets one address may hold open at once. */
  maxConnectionsPerIp: number
  /** TCP sockets from everyone at once. */
  maxSockets: number
  /** Addresses the per-address cap does not apply to: trusted reverse proxies carry everyone's sockets. */
  exempt?: (address: string) => boolean
}

/** What the port guard knows, for logs and tests. */
export interface PortGuard {
  /** Sockets the address (its IPv4 address or IPv6 /64) holds now. */
  connectionsFrom: (address: string) => number
  /** Sockets refused so far because their address held its cap. */
  refused: () => number
  /** Destroy every open socket, upgraded ones included (Node's HTTP server forgets those). */
  destroyAll: () => void
}

/**
 * Make the server safe to expose: every accepted socket gets an 'error'
 * listener before anything else sees it, and an address that already holds
 * `maxConnectionsPerIp` sockets has its new one closed at once, before a byte is
 * read from it. Runs first among 'connection' listeners, so Node's own HTTP and
 * TLS handling only ever sees sockets within the caps.
 */
export function guardPublicPort (server: Server, init: PublicPortInit): PortGuard {
  const perIp = new PerIpCounter(init.maxConnectionsPerIp)
  const sockets = new Set<Socket>()
  let refused = 0
  // Node closes sockets beyond this itself (emitting 'drop'): file descriptors are finite
  server.maxConnections = init.maxSockets
  server.on('drop', (info?: { remoteAddress?: string }) => { log('socket from %s dropped: %d sockets open', info?.remoteAddress, init.maxSockets) })
  // accept errors (EMFILE, ENFILE...) arrive here once listening; without a listener they would end the process
  server.on('error', err => { log.error('server error: %s', err.message) })
  server.prependListener('connection', (socket: Socket) => {
    socket.on('error', err => {
      log('socket error from %s: %s', socket.remoteAddress, err.message)
      socket.destroy()
    })
    const address = socket.remoteAddress
    if (address != null && init.exempt?.(address) === true) {
      sockets.add(socket)
      socket.once('close', () => { sockets.delete(socket) })
      return
    }
    if (address == null || !perIp.tryAdd(address)) {
      // already gone, or over its cap: close before anything reads from it
      refused++
      socket.destroy()
      return
    }
    sockets.add(socket)
    socket.once('close', () => {
      perIp.remove(address)
      sockets.delete(socket)
    })
  })
  return {
    connectionsFrom: address => perIp.count(address),
    refused: () => refused,
    destroyAll: () => { for (const socket of sockets) socket.destroy() }
  }
}

/** Listen and resolve with the bound address (the real port when `port` is 0). */
export async function listenPublicPort (server: Server, port: number, host: string, options: { signal?: AbortSignal } = {}): Promise<AddressInfo> {
  options.signal?.throwIfAborted()
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => { reject(err) }
    server.once('error', onError)
    server.listen({ port, host, signal: options.signal }, () => {
      server.off('error', onError)
      resolve()
    })
  })
  return server.address() as AddressInfo
}

/** Stop accepting, close every socket (keep-alive, in-flight, upgraded), wait for the close. */
export async function closePublicPort (server: Server, guard: PortGuard): Promise<void> {
  if (!server.listening) return
  await new Promise<void>(resolve => {
    server.close(() => { resolve() })
    guard.destroyAll()
  })
}

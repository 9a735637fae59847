import { getThinWaistAddresses, ipPortToMultiaddr } from '@libp2p/utils'
import { TypedEventEmitter } from '@libp2p/interface'
import { WebSocketServer, type WebSocket } from 'ws'
import { PerIpCounter } from '../per-ip-counter.ts'
import { RelayWebSocketConnection } from './connection.ts'
import type { ComponentLogger, Listener, ListenerEvents, Logger, Upgrader } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { IncomingMessage, Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'

export interface RelayWebSocketListenerInit {
  /** The relay's public HTTP(S) server, already listening; we take its upgrade requests. */
  server: Server
  /** True when `server` speaks TLS: addresses end in /tls/ws instead of /ws. */
  secure: boolean
  upgrader: Upgrader
  logger: ComponentLogger
  /** Largest WebSocket message accepted (checked from the frame header). */
  maxMessageBytes: number
  /** libp2p handshakes one address may have in progress. */
  maxHandshakesPerIp: number
  /** Whom an upgrade request comes from (behind a trusted proxy: X-Forwarded-For). Default: the socket's address. */
  clientAddress?: (req: IncomingMessage) => string
}

/**
 * Accepts libp2p connections as WebSocket upgrades on the relay's own HTTP(S)
 * server, so one port serves the app, /bootstrap.json and libp2p. Every
 * WebSocket has an 'error' listener from its first frame on, so a malformed
 * frame closes that connection and nothing else.
 */
export class RelayWebSocketListener extends TypedEventEmitter<ListenerEvents> implements Listener {
  private readonly init: RelayWebSocketListenerInit
  private readonly log: Logger
  private readonly wss: WebSocketServer
  private readonly handshakes: PerIpCounter
  private readonly connections = new Set<RelayWebSocketConnection>()
  private readonly shutdown = new AbortController()
  private listenAddr?: Multiaddr

  constructor (init: RelayWebSocketListenerInit) {
    super()
    this.init = init
    this.log = init.logger.forComponent('chiral:relay:ws')
    this.handshakes = new PerIpCounter(init.maxHandshakesPerIp)
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: init.maxMessageBytes,
      // compression would let a small frame inflate into a large message, and libp2p data is encrypted anyway
      perMessageDeflate: false,
      // we track our own connections
      clientTracking: false
    })
    // a bad upgrade request (no key, wrong version...) is answered 4xx and closed by ws itself,
    // which it only does while nobody listens for 'wsClientError'
    this.wss.on('error', err => { this.log.error('WebSocket server error: %s', err.message) })
  }

  async listen (ma: Multiaddr): Promise<void> {
    const address = this.init.server.address() as AddressInfo | null
    if (address == null) throw new Error('the relay\'s HTTP server must be listening before libp2p starts')
    const port = ma.getComponents().find(c => c.name === 'tcp')?.value
    if (port !== String(address.port)) throw new Error(`libp2p listens on ${ma.toString()}, but the HTTP server is on port ${address.port}`)
    this.listenAddr = ma
    this.init.server.on('upgrade', this.onUpgrade)
    this.safeDispatchEvent('listening')
  }

  getAddrs (): Multiaddr[] {
    const address = this.init.server.address() as AddressInfo | null
    if (this.listenAddr == null || address == null) return []
    const tail = this.init.secure ? '/tls/ws' : '/ws'
    return getThinWaistAddresses(this.listenAddr, address.port).map(ma => ma.encapsulate(tail))
  }

  updateAnnounceAddrs (): void {}

  async close (): Promise<void> {
    this.init.server.off('upgrade', this.onUpgrade)
    this.shutdown.abort()
    for (const connection of this.connections) connection.abort(new Error('the relay is stopping'))
    this.wss.close()
    this.safeDispatchEvent('close')
  }

  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (this.shutdown.signal.aborted) {
      socket.destroy()
      return
    }
    this.wss.handleUpgrade(req, socket, head, ws => { this.onWebSocket(ws, req) })
  }

  private onWebSocket (ws: WebSocket, req: IncomingMessage): void {
    // first thing: without an 'error' listener one bad frame would end the process
    ws.on('error', err => { this.log('WebSocket error from %s: %s', req.socket.remoteAddress, err.message) })
    // the client's address, which per-address limits count (behind a trusted proxy, from X-Forwarded-For)
    const remote = this.init.clientAddress?.(req) ?? req.socket.remoteAddress
    if (remote == null || remote === '' || !this.handshakes.tryAdd(remote)) {
      this.log('refused a WebSocket from %s: too many handshakes in progress', remote)
      ws.terminate()
      return
    }
    let handshaking = true
    const handshakeDone = (): void => {
      if (!handshaking) return
      handshaking = false
      this.handshakes.remove(remote)
    }
    let connection: RelayWebSocketConnection
    try {
      connection = new RelayWebSocketConnection({
        socket: ws,
        remoteAddr: ipPortToMultiaddr(remote, req.socket.remotePort ?? 0).encapsulate(this.init.secure ? '/tls/ws' : '/ws'),
        direction: 'inbound',
        log: this.log.newScope('connection')
      })
    } catch (err) {
      handshakeDone()
      this.log.error('cannot wrap WebSocket from %s: %s', remote, (err as Error).message)
      ws.terminate()
      return
    }
    this.connections.add(connection)
    connection.addEventListener('close', () => {
      handshakeDone()
      this.connections.delete(connection)
    }, { once: true })
    // the upgrader bounds the handshake with libp2p's inboundUpgradeTimeout
    this.init.upgrader.upgradeInbound(connection, { signal: this.shutdown.signal }).then(handshakeDone, err => {
      handshakeDone()
      this.log('handshake with %s failed: %s', remote, (err as Error).message)
      connection.abort(err as Error)
    })
  }
}

import { serviceCapabilities, transportSymbol } from '@libp2p/interface'
import { WebSockets, WebSocketsSecure } from '@multiformats/multiaddr-matcher'
import { RelayDialError } from '../errors.ts'
import { RelayWebSocketListener } from './listener.ts'
import type { ComponentLogger, Connection, CreateListenerOptions, Listener, Transport } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { IncomingMessage, Server } from 'node:http'

export interface RelayWebSocketsInit {
  /** The relay's public HTTP(S) server, listening before libp2p starts. */
  server: Server
  /** True when `server` is an https server: wss, announced as /tls/ws. */
  secure: boolean
  maxMessageBytes: number
  maxHandshakesPerIp: number
  /** Whom an upgrade request comes from (behind a trusted proxy: X-Forwarded-For). Default: the socket's address. */
  clientAddress?: (req: IncomingMessage) => string
}

export interface RelayWebSocketsComponents {
  logger: ComponentLogger
}

/**
 * libp2p over WebSocket on the relay's own HTTP(S) port, listen only. The relay
 * never dials: browsers dial it, circuit relay joins connections that already
 * exist, and kad-dht answers queries on them. @libp2p/websockets runs its own
 * server on a second port and leaves its sockets without error listeners, hence
 * this transport.
 */
export function relayWebSockets (init: RelayWebSocketsInit): (components: RelayWebSocketsComponents) => Transport {
  return components => new RelayWebSockets(components, init)
}

class RelayWebSockets implements Transport {
  readonly [transportSymbol] = true
  readonly [Symbol.toStringTag] = 'chiral:relay-websockets'
  readonly [serviceCapabilities]: string[] = ['@libp2p/transport']
  private readonly components: RelayWebSocketsComponents
  private readonly init: RelayWebSocketsInit

  constructor (components: RelayWebSocketsComponents, init: RelayWebSocketsInit) {
    this.components = components
    this.init = init
  }

  async dial (ma: Multiaddr): Promise<Connection> {
    throw new RelayDialError(`The relay does not dial (asked to dial ${ma.toString()})`)
  }

  createListener (options: CreateListenerOptions): Listener {
    return new RelayWebSocketListener({ ...this.init, upgrader: options.upgrader, logger: this.components.logger })
  }

  listenFilter (multiaddrs: Multiaddr[]): Multiaddr[] {
    const matcher = this.init.secure ? WebSocketsSecure : WebSockets
    return multiaddrs.filter(ma => matcher.exactMatch(ma))
  }

  dialFilter (): Multiaddr[] {
    return []
  }
}

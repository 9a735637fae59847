import { logger } from '@libp2p/logger'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { RELAY_CONNECT_TIMEOUT_MS, RELAY_RETRY_MS } from '../constants.ts'
import { RelayUnreachableError } from '../errors.ts'
import type { PeerStatus } from '../types.ts'
import { markStart } from '../util/start-marks.ts'
import type { Libp2p } from '@libp2p/interface'

const log = logger('chiral:network:relay')

export interface RelayLinkInit {
  bootstrap: string[]
  /** Wait for a relay reservation (a `/p2p-circuit` address) before calling ourselves ready. */
  needsReservation: boolean
  onStatus(status: PeerStatus): void
  onWarning(err: Error): void
}

/**
 * Keeps this peer attached to its relays: dials them at start-up, reports
 * connecting / connected / ready / offline, and redials after a loss.
 */
export class RelayLink {
  private readonly libp2p: Libp2p
  private readonly init: RelayLinkInit
  private readonly addrs: Multiaddr[]
  private readonly relayIds: Set<string>
  private status: PeerStatus = 'starting'
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private stopped = false

  constructor (libp2p: Libp2p, init: RelayLinkInit) {
    this.libp2p = libp2p
    this.init = init
    this.addrs = init.bootstrap.map(addr => multiaddr(addr))
    this.relayIds = new Set(this.addrs.map(addr => addr.getComponents().find(c => c.name === 'p2p')?.value).filter((id): id is string => id != null))
    // the reservation shows as a new listen address at once ('transport:listening');
    // 'self:peer:update' only follows after the address manager's 1 s debounce
    libp2p.addEventListener('transport:listening', this.onSelfUpdate)
    libp2p.addEventListener('self:peer:update', this.onSelfUpdate)
    libp2p.addEventListener('peer:disconnect', this.onDisconnect)
    libp2p.addEventListener('connection:open', this.onConnectionOpen)
    libp2p.addEventListener('peer:identify', this.onIdentify)
  }

  start (): void {
    if (this.addrs.length === 0) {
      this.set('offline')
      return
    }
    void this.connect()
  }

  stop (): void {
    this.stopped = true
    clearTimeout(this.retryTimer)
    this.libp2p.removeEventListener('transport:listening', this.onSelfUpdate)
    this.libp2p.removeEventListener('self:peer:update', this.onSelfUpdate)
    this.libp2p.removeEventListener('peer:disconnect', this.onDisconnect)
    this.libp2p.removeEventListener('connection:open', this.onConnectionOpen)
    this.libp2p.removeEventListener('peer:identify', this.onIdentify)
  }

  /** Whether a peer is one of our relays (they serve no blocks). */
  isRelay (peerId: string): boolean {
    return this.relayIds.has(peerId)
  }

  private async connect (): Promise<void> {
    if (this.stopped) return
    if (this.status === 'starting') this.set('connecting') // retries stay 'offline' until one succeeds
    markStart('relay-dial')
    try {
      await Promise.any(this.addrs.map(async addr => this.libp2p.dial(addr, { signal: AbortSignal.timeout(RELAY_CONNECT_TIMEOUT_MS) })))
      markStart('relay-connected')
      this.set(this.hasReservation() || !this.init.needsReservation ? 'ready' : 'connected')
    } catch (err) {
      const cause = err instanceof AggregateError ? err.errors[0] : err
      log('relay unreachable: %s', (cause as Error)?.message)
      this.set('offline')
      this.init.onWarning(new RelayUnreachableError(cause))
      this.scheduleRetry()
    }
  }

  private scheduleRetry (): void {
    if (this.stopped) return
    clearTimeout(this.retryTimer)
    this.retryTimer = setTimeout(() => { void this.connect() }, RELAY_RETRY_MS)
  }

  private hasReservation (): boolean {
    return this.libp2p.getMultiaddrs().some(addr => addr.getComponents().some(c => c.name === 'p2p-circuit'))
  }

  private readonly onSelfUpdate = (): void => {
    if (this.status === 'connected' && this.hasReservation()) this.set('ready')
  }

  private readonly onConnectionOpen = (event: CustomEvent<{ remotePeer: { toString(): string } }>): void => {
    if (this.relayIds.has(event.detail.remotePeer.toString())) markStart('relay-connection')
  }

  private readonly onIdentify = (event: CustomEvent<{ peerId: { toString(): string } }>): void => {
    if (this.relayIds.has(event.detail.peerId.toString())) markStart('relay-identified')
  }

  private readonly onDisconnect = (event: CustomEvent<{ toString(): string }>): void => {
    if (!this.relayIds.has(event.detail.toString()) || this.stopped) return
    if (this.libp2p.getConnections().some(c => this.relayIds.has(c.remotePeer.toString()))) return
    this.set('offline')
    this.init.onWarning(new RelayUnreachableError(new Error('the relay connection closed')))
    this.scheduleRetry()
  }

  private set (status: PeerStatus): void {
    if (this.status === status) return
    if (status === 'ready') markStart('ready')
    this.status = status
    this.init.onStatus(status)
  }
}

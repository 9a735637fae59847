import { logger } from '@libp2p/logger'
import { ICE_EXPIRED_WAIT_MS, ICE_RENEW_FRACTION, ICE_RENEW_RETRY_MS, ICE_RENEW_TIMEOUT_MS } from '../constants.ts'
import type { IceServer } from '../protocol/bootstrap-document.ts'
import type { AbortOptions } from '@libp2p/interface'

const log = logger('chiral:network:ice')

/** ICE servers as the relay issued them. */
export interface IssuedIceServers {
  servers: IceServer[]
  /** Milliseconds until their credentials expire; absent when nothing expires. */
  ttlMs?: number
}

export interface IceServersInit extends IssuedIceServers {
  /** Ask the relay for fresh servers (credentials); called before `ttlMs` runs out. */
  renew?: (options: AbortOptions) => Promise<IssuedIceServers>
}

function offersTurn (servers: IceServer[]): boolean {
  return servers.some(server => server.urls.some(url => /^turns?:/i.test(url)))
}

/** setTimeout holds at most 2^31-1 ms; a longer TTL is renewed at that point. */
const MAX_TIMER_MS = 2_147_483_647

/**
 * The ICE servers handed to every new RTCPeerConnection. TURN credentials
 * expire, and a tab may stay open for days: they are renewed when
 * ICE_RENEW_FRACTION of their lifetime has passed, and a connection attempt
 * that finds them expired (a laptop that slept through the timer) waits for
 * fresh ones first, up to ICE_EXPIRED_WAIT_MS (the renewal goes on behind it).
 */
export class IceServerSource {
  private servers: IceServer[]
  private expiresAt: number | undefined
  private timer: ReturnType<typeof setTimeout> | undefined
  private renewing: Promise<void> | undefined
  private stopped = false
  private readonly renewFn: IceServersInit['renew']
  private readonly now: () => number
  /** A renewal failed (the old servers stay in use); set by whoever reports warnings. */
  onWarning: (err: Error) => void = () => {}

  constructor (init: IceServersInit = { servers: [] }, options: { now?: () => number } = {}) {
    this.now = options.now ?? (() => Date.now())
    this.renewFn = init.renew
    this.servers = init.servers
    this.expiresAt = init.ttlMs == null ? undefined : this.now() + init.ttlMs
  }

  /** Start renewing before expiry. */
  start (): void {
    this.stopped = false
    if (this.expiresAt != null) this.schedule(this.expiresAt - this.now())
  }

  /** What libp2p's WebRTC transport calls for each new peer connection: always an explicit list. */
  readonly rtcConfiguration = async (): Promise<RTCConfiguration> => {
    if (this.isExpired()) {
      // a dial has seconds, not the renewal's whole timeout; a failure was warned about in renew()
      const renewed = this.renew().catch(() => {})
      await Promise.race([renewed, new Promise<void>(resolve => setTimeout(resolve, ICE_EXPIRED_WAIT_MS))])
    }
    return { iceServers: this.servers.map(server => ({ ...server, urls: [...server.urls] })) }
  }

  current (): IceServer[] {
    return this.servers
  }

  /** Whether a TURN server is offered: without one, strict NATs cannot be crossed. */
  offersTurn (): boolean {
    return offersTurn(this.servers)
  }

  isExpired (): boolean {
    return this.expiresAt != null && this.now() >= this.expiresAt
  }

  stop (): void {
    this.stopped = true
    clearTimeout(this.timer)
  }

  /** Fetch fresh servers now; concurrent callers share one request. */
  async renew (signal?: AbortSignal): Promise<void> {
    if (this.renewFn == null || this.stopped) return
    this.renewing ??= (async () => {
      try {
        const timeout = AbortSignal.timeout(ICE_RENEW_TIMEOUT_MS)
        const fresh = await this.renewFn!({ signal: signal == null ? timeout : AbortSignal.any([signal, timeout]) })
        if (this.offersTurn() && !this.isExpired() && !offersTurn(fresh.servers)) {
          // the relay withheld TURN (this address is over its minting rate): the credentials we hold
          // are still good, so keep them and ask again when the relay says
          log('the relay withheld TURN credentials; keeping ours until they expire')
          this.scheduleDelay(fresh.ttlMs ?? ICE_RENEW_RETRY_MS)
          return
        }
        this.servers = fresh.servers
        this.expiresAt = fresh.ttlMs == null ? undefined : this.now() + fresh.ttlMs
        log('renewed %d ICE servers, valid %s ms', fresh.servers.length, fresh.ttlMs ?? 'forever')
        this.schedule(fresh.ttlMs)
      } catch (err) {
        log('renewing ICE servers failed: %s', (err as Error).message)
        this.onWarning(new Error(`Could not renew the TURN credentials yet: ${(err as Error).message}`, { cause: err }))
        this.scheduleDelay(ICE_RENEW_RETRY_MS)
        throw err
      } finally {
        this.renewing = undefined
      }
    })()
    await this.renewing
  }

  private schedule (ttlMs: number | undefined): void {
    if (ttlMs == null) return
    this.scheduleDelay(ttlMs * ICE_RENEW_FRACTION)
  }

  private scheduleDelay (ms: number): void {
    clearTimeout(this.timer)
    if (this.renewFn == null || this.stopped) return
    this.timer = setTimeout(() => { void this.renew().catch(() => {}) }, Math.min(Math.max(0, ms), MAX_TIMER_MS))
  }
}

import { RateLimiter } from './rate-limiter.ts'
import { mintTurnCredential } from './turn-credentials.ts'
import type { IceServer } from '../app/core/protocol/bootstrap-document.ts'

/** What the relay hands a page: the ICE servers and, with TURN, when to ask again. */
export interface IssuedIceServers {
  iceServers: IceServer[]
  /** Seconds until the TURN credentials expire (or until a throttled client may ask again). */
  iceServersTtl?: number
}

export interface IceServerIssuerInit {
  stun: string[]
  turn: string[]
  /** coturn's static-auth-secret; required when `turn` is not empty. */
  turnSecret?: string
  turnTtlSeconds: number
  /** Credentials one client IP may obtain per hour. */
  turnMintsPerHour: number
  now?: () => number
}

/**
 * Client IPs whose minting rate is remembered at once: the table stays a few
 * hundred kB however many addresses ask.
 */
export const MAX_TRACKED_CLIENTS = 10_000
/** A client may take ten minutes' worth of credentials at once (a few reloads, several tabs). */
const BURST_FRACTION_OF_HOUR = 1 / 6

export interface IceServerIssuer {
  /**
   * The ICE servers for one request from `clientIp`, with fresh TURN
   * credentials unless that IP is over its rate or `mint` is false (a request
   * that is not the app's own: it gets STUN only and costs the IP nothing).
   */
  issue(clientIp: string, options?: { mint?: boolean }): IssuedIceServers
}

/**
 * STUN URLs are handed out as they are; TURN URLs come with credentials minted
 * per request. A client over its rate gets STUN only (the page still works
 * wherever no TURN is needed) and is told when to ask again.
 */
export function createIceServerIssuer (init: IceServerIssuerInit): IceServerIssuer {
  const now = init.now ?? (() => Date.now())
  const limiter = new RateLimiter({
    perHour: init.turnMintsPerHour,
    capacity: Math.max(1, Math.round(init.turnMintsPerHour * BURST_FRACTION_OF_HOUR)),
    maxKeys: MAX_TRACKED_CLIENTS,
    now
  })
  const stun: IceServer[] = init.stun.length > 0 ? [{ urls: [...init.stun] }] : []

  return {
    issue (clientIp, options = {}) {
      if (init.turn.length === 0 || init.turnSecret == null || options.mint === false) return { iceServers: stun }
      if (!limiter.take(clientIp)) {
        return { iceServers: stun, iceServersTtl: limiter.retryAfterSeconds(clientIp) }
      }
      const { username, credential } = mintTurnCredential(init.turnSecret, init.turnTtlSeconds, now())
      return {
        iceServers: [...stun, { urls: [...init.turn], username, credential }],
        iceServersTtl: init.turnTtlSeconds
      }
    }
  }
}

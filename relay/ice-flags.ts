import { isIceServerUrl } from '../app/core/protocol/bootstrap-document.ts'
import { UsageError } from './errors.ts'

/**
 * Lifetime of minted TURN credentials. coturn checks it on every allocation
 * refresh, so it bounds how long one TURN-relayed connection can live; tabs
 * fetch new ones when half of it has passed.
 */
export const DEFAULT_TURN_TTL_SECONDS = 86_400
/**
 * TURN credentials one client address may obtain per hour: a page load takes
 * one (renewals one per 12 h). Offices put many people behind one address, and
 * they are the networks that need TURN: 120 an hour, 20 at once. One credential
 * is all an abuser needs for a day, so this bounds how many they hold; coturn's
 * --user-quota bounds what each one can do.
 */
export const DEFAULT_TURN_MINTS_PER_HOUR = 120

/** The ICE servers the relay names to browsers in /bootstrap.json. */
export interface IceOptions {
  /** STUN server URLs handed to browsers (`stun:host:port`). */
  stun: string[]
  /** TURN server URLs handed to browsers with minted credentials (`turn:host:3478?transport=udp`). */
  turn: string[]
  /** coturn's static-auth-secret (`use-auth-secret`); required with `turn`. */
  turnSecret?: string
  turnTtlSeconds: number
  turnMintsPerHour: number
}

export const ICE_LIST_FLAGS = { '--stun': 'CHIRAL_STUN', '--turn': 'CHIRAL_TURN' } as const
export const ICE_VALUE_FLAGS = ['--turn-secret', '--turn-ttl', '--turn-mints-per-hour'] as const

export const ICE_HELP = `  --stun <url>       STUN server for browsers, e.g. stun:turn.example.com:3478;
                     repeatable or comma separated [CHIRAL_STUN]. Default: none
                     (host candidates only: enough on one machine or LAN)
  --turn <url>       TURN server for browsers behind strict NATs, e.g.
                     turn:turn.example.com:3478?transport=udp or
                     turns:turn.example.com:5349?transport=tcp; repeatable or
                     comma separated [CHIRAL_TURN]. Needs --turn-secret
  --turn-secret <s>  the static-auth-secret of a coturn run with use-auth-secret;
                     the relay mints time-limited credentials from it for each
                     page [CHIRAL_TURN_SECRET; prefer the variable: arguments
                     are visible to other users in ps]
  --turn-ttl <s>     lifetime of minted TURN credentials in seconds
                     [CHIRAL_TURN_TTL] default ${DEFAULT_TURN_TTL_SECONDS} (24 h). A
                     TURN-relayed connection lives at most this long; open tabs
                     renew their credentials when half of it has passed
  --turn-mints-per-hour <n>  TURN credentials one client address may obtain
                     per hour [CHIRAL_TURN_MINTS_PER_HOUR] default ${DEFAULT_TURN_MINTS_PER_HOUR};
                     past it the page gets STUN only and asks again later
`

export interface IceInput {
  stun: string[]
  turn: string[]
  secret: string | undefined
  ttl: string | undefined
  mintsPerHour: string | undefined
}

/** Validate the ICE flags together (TURN needs its secret and vice versa). Throws UsageError. */
export function parseIce (input: IceInput): IceOptions {
  for (const url of input.stun) {
    if (!/^stuns?:/i.test(url) || !isIceServerUrl(url)) throw new UsageError(`--stun must be a STUN URL such as stun:stun.example.com:3478, got "${url}"`)
  }
  for (const url of input.turn) {
    if (!/^turns?:/i.test(url) || !isIceServerUrl(url)) {
      throw new UsageError(`--turn must be a TURN URL such as turn:turn.example.com:3478?transport=udp or turns:turn.example.com:5349?transport=tcp, got "${url}"`)
    }
  }
  const secret = input.secret?.trim() === '' ? undefined : input.secret
  if (input.turn.length > 0 && secret == null) {
    throw new UsageError('--turn needs --turn-secret (or CHIRAL_TURN_SECRET): the static-auth-secret of your coturn, so the relay can mint credentials')
  }
  if (secret != null && input.turn.length === 0) {
    throw new UsageError('--turn-secret is set but no --turn URL names the TURN server it is for')
  }
  return {
    stun: input.stun,
    turn: input.turn,
    ...(secret != null ? { turnSecret: secret } : {}),
    turnTtlSeconds: parseCount('--turn-ttl', input.ttl, DEFAULT_TURN_TTL_SECONDS, 60),
    turnMintsPerHour: parseCount('--turn-mints-per-hour', input.mintsPerHour, DEFAULT_TURN_MINTS_PER_HOUR, 1)
  }
}

export function defaultIceOptions (): IceOptions {
  return { stun: [], turn: [], turnTtlSeconds: DEFAULT_TURN_TTL_SECONDS, turnMintsPerHour: DEFAULT_TURN_MINTS_PER_HOUR }
}

/** A whole number of at least `min`. */
function parseCount (flag: string, value: string | undefined, fallback: number, min: number): number {
  if (value == null || value.trim() === '') return fallback
  const n = Number(value.trim())
  if (!/^\d+$/.test(value.trim()) || n < min || !Number.isSafeInteger(n)) {
    throw new UsageError(`${flag} must be a whole number of at least ${min}, got "${value}"`)
  }
  return n
}

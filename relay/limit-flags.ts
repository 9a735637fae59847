import { UsageError } from './errors.ts'
import { DEFAULT_LIMITS, type RelayLimits } from './limits.ts'

/** How a limit is written on the command line. */
type Kind = 'count' | 'duration' | 'bytes'

interface LimitFlag {
  flag: string
  env: string
  key: keyof RelayLimits
  kind: Kind
  /** One line for --help (the default is appended). */
  help: string
}

/** One flag per bound in relay/limits.ts, where each bound's reason is. */
export const LIMIT_FLAGS: readonly LimitFlag[] = [
  { flag: '--max-connections-per-ip', env: 'CHIRAL_MAX_CONNECTIONS_PER_IP', key: 'maxConnectionsPerIp', kind: 'count', help: 'open sockets (HTTP + WebSocket) per IPv4 address or IPv6 /64' },
  { flag: '--max-reservations', env: 'CHIRAL_MAX_RESERVATIONS', key: 'maxReservations', kind: 'count', help: 'circuit-relay reservations in total (one per open tab)' },
  { flag: '--max-reservations-per-ip', env: 'CHIRAL_MAX_RESERVATIONS_PER_IP', key: 'maxReservationsPerIp', kind: 'count', help: 'reservations per address' },
  { flag: '--max-handshakes-per-ip', env: 'CHIRAL_MAX_HANDSHAKES_PER_IP', key: 'maxHandshakesPerIp', kind: 'count', help: 'libp2p handshakes in progress per address' },
  { flag: '--http-timeout', env: 'CHIRAL_HTTP_TIMEOUT', key: 'httpTimeoutMs', kind: 'duration', help: 'time to send a whole HTTP request' },
  { flag: '--keep-alive-timeout', env: 'CHIRAL_KEEP_ALIVE_TIMEOUT', key: 'keepAliveTimeoutMs', kind: 'duration', help: 'idle HTTP keep-alive sockets are closed after' },
  { flag: '--handshake-timeout', env: 'CHIRAL_HANDSHAKE_TIMEOUT', key: 'handshakeTimeoutMs', kind: 'duration', help: 'time for the TLS and for the libp2p handshake' },
  { flag: '--idle-timeout', env: 'CHIRAL_IDLE_TIMEOUT', key: 'idleConnectionTimeoutMs', kind: 'duration', help: 'libp2p connections without reservation or streams close after' },
  { flag: '--stream-idle-timeout', env: 'CHIRAL_STREAM_IDLE_TIMEOUT', key: 'streamIdleTimeoutMs', kind: 'duration', help: 'streams without data either way are reset after' },
  { flag: '--max-message-size', env: 'CHIRAL_MAX_MESSAGE_SIZE', key: 'maxMessageBytes', kind: 'bytes', help: 'largest WebSocket message accepted' },
  { flag: '--max-providers-per-peer', env: 'CHIRAL_MAX_PROVIDERS_PER_PEER', key: 'maxProvidersPerPeer', kind: 'count', help: 'DHT provider records per peer (one per share)' },
  { flag: '--max-providers-per-ip', env: 'CHIRAL_MAX_PROVIDERS_PER_IP', key: 'maxProvidersPerIp', kind: 'count', help: 'DHT provider records per address' },
  { flag: '--max-providers', env: 'CHIRAL_MAX_PROVIDERS', key: 'maxProviders', kind: 'count', help: 'DHT provider records in total' },
  { flag: '--provider-ttl', env: 'CHIRAL_PROVIDER_TTL', key: 'providerTtlMs', kind: 'duration', help: 'a provider record not announced again expires after' }
]

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }
const UNIT_BYTES: Record<string, number> = { '': 1, k: 1024, kib: 1024, m: 1024 * 1024, mib: 1024 * 1024 }

/** Parse one limit from its flag or environment text. Throws UsageError naming the flag. */
export function parseLimit (spec: LimitFlag, text: string): number {
  const value = text.trim().toLowerCase()
  let parsed: number | undefined
  if (spec.kind === 'count') {
    parsed = /^\d+$/.test(value) ? Number(value) : undefined
  } else if (spec.kind === 'duration') {
    // a bare number is seconds, like every other duration people type into a shell
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value)
    if (match != null) parsed = Math.round(Number(match[1]) * (UNIT_MS[match[2] ?? 's'] as number))
  } else {
    const match = /^(\d+)(k|kib|m|mib)?$/.exec(value)
    if (match != null) parsed = Number(match[1]) * (UNIT_BYTES[match[2] ?? ''] as number)
  }
  if (parsed == null || !Number.isSafeInteger(parsed) || parsed < 1) {
    const example = spec.kind === 'duration' ? 'a duration such as 30s, 5m or 48h' : spec.kind === 'bytes' ? 'a size in bytes such as 131072 or 128k' : 'a whole number of at least 1'
    throw new UsageError(`${spec.flag} must be ${example}, got "${text}"`)
  }
  return parsed
}

/** Limits from flags (already collected by name) over environment variables over defaults. */
export function parseLimits (flags: ReadonlyMap<string, string>, env: Record<string, string | undefined>): RelayLimits {
  const limits: RelayLimits = { ...DEFAULT_LIMITS }
  for (const spec of LIMIT_FLAGS) {
    const text = flags.get(spec.flag) ?? env[spec.env]
    if (text == null || text.trim() === '') continue
    limits[spec.key] = parseLimit(spec, text)
  }
  return limits
}

/** The "Limits" block of --help, defaults included. */
export function limitsHelp (): string {
  return LIMIT_FLAGS.map(spec => {
    const left = `  ${spec.flag} <${spec.kind === 'count' ? 'n' : spec.kind === 'bytes' ? 'size' : 'time'}>`
    return `${left.padEnd(33)}${spec.help}\n${''.padEnd(33)}default ${formatLimit(spec.kind, DEFAULT_LIMITS[spec.key])} [${spec.env}]`
  }).join('\n')
}

export function formatLimit (kind: Kind, value: number): string {
  if (kind === 'duration') {
    for (const [unit, ms] of [['h', 3_600_000], ['m', 60_000], ['s', 1_000]] as const) {
      if (value % ms === 0) return `${value / ms}${unit}`
    }
    return `${value}ms`
  }
  if (kind === 'bytes' && value % 1024 === 0) return `${value / 1024}k`
  return String(value)
}

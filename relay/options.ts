import { isIP } from 'node:net'
import { multiaddr } from '@multiformats/multiaddr'
import { isIceServerUrl } from '../app/core/protocol/bootstrap-document.ts'
import { UsageError } from './errors.ts'

/** Browsers need a secure context: http://localhost qualifies, a LAN address does not. */
export const DEFAULT_HOST = '127.0.0.1'
export const DEFAULT_HTTP_PORT = 8080
export const DEFAULT_WS_PORT = 9090
export const DEFAULT_DATA_DIR = './data/relay'
/**
 * Lifetime of minted TURN credentials. coturn checks it on every allocation
 * refresh, so it bounds how long one TURN-relayed connection can live; tabs
 * fetch new ones when half of it has passed.
 */
export const DEFAULT_TURN_TTL_SECONDS = 86_400
/** TURN credentials one client IP may obtain per hour: a page load takes one. */
export const DEFAULT_TURN_MINTS_PER_HOUR = 60

export interface RelayOptions {
  /** HTTP port for the app and /bootstrap.json; 0 picks a free one. */
  port: number
  /** Plain WebSocket port for libp2p; 0 picks a free one. */
  wsPort: number
  /** IP address both listeners bind to. */
  host: string
  /** Holds the relay's private key, so its peer id survives restarts. */
  dataDir: string
  /** Multiaddrs announced instead of the listen addresses (e.g. behind a wss proxy). */
  announce: string[]
  /** STUN server URLs handed to browsers (`stun:host:port`). */
  stun: string[]
  /** TURN server URLs handed to browsers with minted credentials (`turn:host:3478?transport=udp`). */
  turn: string[]
  /** coturn's static-auth-secret (`use-auth-secret`); required with `turn`. */
  turnSecret?: string
  turnTtlSeconds: number
  turnMintsPerHour: number
  /** Build the app first when dist/ is missing or stale. */
  build: boolean
  help: boolean
}

export type Env = Record<string, string | undefined>

export const RELAY_HELP = `Usage: chiral relay [flags]    (npm start -- [flags])

Serves the Chiral app from dist/ over HTTP and runs the libp2p relay and DHT
bootstrap node that browsers connect to over WebSockets.

Flags (environment variable in brackets):
  --port <n>         HTTP port for the app and /bootstrap.json [CHIRAL_PORT]
                     default ${DEFAULT_HTTP_PORT}; 0 picks a free port
  --ws-port <n>      libp2p WebSocket port [CHIRAL_WS_PORT]
                     default ${DEFAULT_WS_PORT}; 0 picks a free port
  --host <ip>        address both listeners bind to [CHIRAL_HOST]
                     default ${DEFAULT_HOST}. Browsers only run the app in a secure
                     context (https, or http://localhost), so to serve other
                     machines put an https/wss proxy in front and use --announce
  --data-dir <dir>   where the relay keeps its identity key [CHIRAL_DATA_DIR]
                     default ${DEFAULT_DATA_DIR}
  --announce <ma>    multiaddr to advertise instead of the listen addresses,
                     e.g. /dns4/relay.example.com/tcp/443/wss; repeatable or
                     comma separated [CHIRAL_ANNOUNCE, comma separated]
  --stun <url>       STUN server for browsers, e.g. stun:turn.example.com:3478;
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
  --turn-mints-per-hour <n>  TURN credentials one client IP may obtain per hour
                     [CHIRAL_TURN_MINTS_PER_HOUR] default ${DEFAULT_TURN_MINTS_PER_HOUR}; past it
                     the page gets STUN only and asks again later
  --no-build         serve dist/ as it is, without building the app first
  -h, --help         show this help

Prints "Chiral is running at <url>" once it is ready. Stops on SIGINT/SIGTERM.
`

const VALUE_FLAGS = new Set(['--port', '--ws-port', '--host', '--data-dir', '--announce', '--stun', '--turn', '--turn-secret', '--turn-ttl', '--turn-mints-per-hour'])
/** Flags that may be given several times (or comma separated); their env variables are comma separated. */
const LIST_FLAGS = { '--announce': 'CHIRAL_ANNOUNCE', '--stun': 'CHIRAL_STUN', '--turn': 'CHIRAL_TURN' } as const
type ListFlag = keyof typeof LIST_FLAGS

/** Parse relay flags over environment fallbacks. Pure: no I/O. Throws UsageError. */
export function parseRelayOptions (argv: readonly string[], env: Env = {}): RelayOptions {
  const values = new Map<string, string>()
  const lists = new Map<ListFlag, string[]>()
  let build = true
  let help = false

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '-h' || arg === '--help') {
      help = true
      continue
    }
    if (arg === '--no-build') {
      build = false
      continue
    }
    const eq = arg.indexOf('=')
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg
    if (!VALUE_FLAGS.has(flag)) {
      throw new UsageError(`Unknown argument "${arg}". Run with --help to see the flags.`)
    }
    let value: string | undefined
    if (eq > 0 && flag !== arg) {
      value = arg.slice(eq + 1)
    } else {
      value = argv[i + 1]
      if (value == null || (value.startsWith('--') && value.length > 2)) {
        throw new UsageError(`${flag} needs a value. Run with --help to see the flags.`)
      }
      i++
    }
    if (value.trim() === '') throw new UsageError(`${flag} needs a value. Run with --help to see the flags.`)
    if (flag in LIST_FLAGS) {
      const list = lists.get(flag as ListFlag) ?? []
      list.push(...splitList(value))
      lists.set(flag as ListFlag, list)
    } else {
      values.set(flag, value)
    }
  }

  // a flag replaces its environment variable rather than adding to it
  const listOf = (flag: ListFlag): string[] => lists.get(flag) ?? splitList(env[LIST_FLAGS[flag]] ?? '')

  return {
    port: parsePort('--port', values.get('--port') ?? env.CHIRAL_PORT, DEFAULT_HTTP_PORT),
    wsPort: parsePort('--ws-port', values.get('--ws-port') ?? env.CHIRAL_WS_PORT, DEFAULT_WS_PORT),
    host: parseHost(values.get('--host') ?? env.CHIRAL_HOST),
    dataDir: parseDataDir(values.get('--data-dir') ?? env.CHIRAL_DATA_DIR),
    announce: parseAnnounce(listOf('--announce')),
    ...parseIce({
      stun: listOf('--stun'),
      turn: listOf('--turn'),
      secret: values.get('--turn-secret') ?? env.CHIRAL_TURN_SECRET,
      ttl: values.get('--turn-ttl') ?? env.CHIRAL_TURN_TTL,
      mintsPerHour: values.get('--turn-mints-per-hour') ?? env.CHIRAL_TURN_MINTS_PER_HOUR
    }),
    build,
    help
  }
}

function splitList (value: string): string[] {
  return value.split(',').map(s => s.trim()).filter(s => s !== '')
}

function parsePort (flag: string, value: string | undefined, fallback: number): number {
  if (value == null || value.trim() === '') return fallback
  const port = Number(value.trim())
  if (!/^\d+$/.test(value.trim()) || port > 65535) {
    throw new UsageError(`${flag} must be a port number from 0 to 65535, got "${value}"`)
  }
  return port
}

function parseHost (value: string | undefined): string {
  if (value == null || value.trim() === '') return DEFAULT_HOST
  const host = value.trim()
  // libp2p listens on /ip4 or /ip6 addresses only, so a name must be resolved here
  if (host === 'localhost') return DEFAULT_HOST
  if (isIP(host) === 0) {
    throw new UsageError(`--host must be an IP address such as 127.0.0.1 or 0.0.0.0, got "${value}"`)
  }
  return host
}

function parseDataDir (value: string | undefined): string {
  if (value == null || value.trim() === '') return DEFAULT_DATA_DIR
  return value.trim()
}

function parseAnnounce (addrs: string[]): string[] {
  for (const addr of addrs) {
    try {
      multiaddr(addr)
    } catch (err) {
      throw new UsageError(`--announce must be a multiaddr such as /dns4/relay.example.com/tcp/443/wss, got "${addr}" (${(err as Error).message})`)
    }
  }
  return addrs
}

interface IceInput {
  stun: string[]
  turn: string[]
  secret: string | undefined
  ttl: string | undefined
  mintsPerHour: string | undefined
}

function parseIce (input: IceInput): Pick<RelayOptions, 'stun' | 'turn' | 'turnSecret' | 'turnTtlSeconds' | 'turnMintsPerHour'> {
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

/** A whole number of at least `min`. */
function parseCount (flag: string, value: string | undefined, fallback: number, min: number): number {
  if (value == null || value.trim() === '') return fallback
  const n = Number(value.trim())
  if (!/^\d+$/.test(value.trim()) || n < min || !Number.isSafeInteger(n)) {
    throw new UsageError(`${flag} must be a whole number of at least ${min}, got "${value}"`)
  }
  return n
}

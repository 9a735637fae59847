import { isIP } from 'node:net'
import { multiaddr } from '@multiformats/multiaddr'
import { UsageError } from './errors.ts'
import { defaultIceOptions, ICE_HELP, ICE_LIST_FLAGS, ICE_VALUE_FLAGS, parseIce, type IceOptions } from './ice-flags.ts'
import { LIMIT_FLAGS, limitsHelp, parseLimits } from './limit-flags.ts'
import { DEFAULT_LIMITS, type RelayLimits } from './limits.ts'

/** Browsers need a secure context: http://localhost qualifies, a LAN address does not. */
export const DEFAULT_HOST = '127.0.0.1'
export const DEFAULT_PORT = 8080
export const DEFAULT_DATA_DIR = './data/relay'
export { DEFAULT_TURN_MINTS_PER_HOUR, DEFAULT_TURN_TTL_SECONDS } from './ice-flags.ts'

export interface RelayOptions extends IceOptions {
  /** The one public port: the app, /bootstrap.json and libp2p over WebSocket; 0 picks a free one. */
  port: number
  /** IP address the port is bound to. */
  host: string
  /** Holds the relay's private key, so its peer id survives restarts. */
  dataDir: string
  /** Multiaddrs announced instead of the derived ones (e.g. behind a proxy). */
  announce: string[]
  /** Reverse proxies whose X-Forwarded-For names the client, for per-address limits and TURN minting. */
  trustedProxies: string[]
  /** PEM certificate chain and private key: serve https and wss on the port. Both or neither. */
  tls?: { certFile: string, keyFile: string }
  /** Bounds on what clients may make the relay do (relay/limits.ts). */
  limits: RelayLimits
  /** Build the app first when dist/ is missing or stale. */
  build: boolean
  help: boolean
}

export type Env = Record<string, string | undefined>

export const RELAY_HELP = `Usage: chiral relay [flags]    (npm start -- [flags])

Serves the Chiral app from dist/, /bootstrap.json and the libp2p relay and DHT
bootstrap node that browsers connect to over WebSockets, all on one port.

Flags (environment variable in brackets):
  --port <n>         the one public port [CHIRAL_PORT]
                     default ${DEFAULT_PORT}; 0 picks a free port
  --host <ip>        address the port is bound to [CHIRAL_HOST]
                     default ${DEFAULT_HOST}. Browsers only run the app in a secure
                     context (https, or http://localhost): to serve other
                     machines use --tls-cert/--tls-key, or a TLS proxy
  --tls-cert <file>  PEM certificate (chain) for https and wss [CHIRAL_TLS_CERT]
  --tls-key <file>   its PEM private key [CHIRAL_TLS_KEY]
  --data-dir <dir>   where the relay keeps its identity key [CHIRAL_DATA_DIR]
                     default ${DEFAULT_DATA_DIR}
  --announce <ma>    multiaddr to advertise, e.g. /dns4/relay.example.com/tcp/443/tls/ws;
                     repeatable or comma separated [CHIRAL_ANNOUNCE, comma separated].
                     Without it the relay advertises, with TLS,
                     /dns4/<name>/tcp/<port>/tls/ws for every DNS name of the
                     certificate (wildcards skipped), and otherwise (or when the
                     certificate names none) its listen addresses
  --trusted-proxy <ip>  a reverse proxy in front of the relay: for sockets from
                     it the client is read from X-Forwarded-For, so per-address
                     limits and TURN minting count clients, not the proxy (and
                     the proxy is exempt from the socket cap); repeatable or
                     comma separated [CHIRAL_TRUSTED_PROXY]
${ICE_HELP}  --no-build         serve dist/ as it is, without building the app first
  -h, --help         show this help

Limits (defaults are safe on the internet; durations take ms, s, m or h,
a bare number is seconds; sizes take k):
${limitsHelp()}

Prints "Chiral is running at <url>" once it is ready. Stops on SIGINT/SIGTERM.
`

const VALUE_FLAGS = new Set(['--port', '--host', '--data-dir', '--announce', '--trusted-proxy', '--tls-cert', '--tls-key', '--stun', '--turn', ...ICE_VALUE_FLAGS, ...LIMIT_FLAGS.map(f => f.flag)])

/** The WebSocket used to have its own port; say so rather than "unknown argument". */
const WS_PORT_GONE = 'libp2p over WebSocket now shares --port with the app (one public port), so --ws-port / CHIRAL_WS_PORT is gone: remove it (and point any proxy at --port).'
/** Flags that may be given several times (or comma separated); their env variables are comma separated. */
const LIST_FLAGS = { '--announce': 'CHIRAL_ANNOUNCE', '--trusted-proxy': 'CHIRAL_TRUSTED_PROXY', ...ICE_LIST_FLAGS } as const
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
    if (flag === '--ws-port') throw new UsageError(WS_PORT_GONE)
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
  if (help) return { ...defaults(), help, build }
  if ((env.CHIRAL_WS_PORT ?? '').trim() !== '') throw new UsageError(WS_PORT_GONE)

  // a flag replaces its environment variable rather than adding to it
  const listOf = (flag: ListFlag): string[] => lists.get(flag) ?? splitList(env[LIST_FLAGS[flag]] ?? '')

  return {
    port: parsePort('--port', values.get('--port') ?? env.CHIRAL_PORT, DEFAULT_PORT),
    host: parseHost(values.get('--host') ?? env.CHIRAL_HOST),
    dataDir: parseDataDir(values.get('--data-dir') ?? env.CHIRAL_DATA_DIR),
    announce: parseAnnounce(listOf('--announce')),
    trustedProxies: parseTrustedProxies(listOf('--trusted-proxy')),
    tls: parseTls(values.get('--tls-cert') ?? env.CHIRAL_TLS_CERT, values.get('--tls-key') ?? env.CHIRAL_TLS_KEY),
    limits: parseLimits(values, env),
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

function defaults (): RelayOptions {
  return { port: DEFAULT_PORT, host: DEFAULT_HOST, dataDir: DEFAULT_DATA_DIR, announce: [], trustedProxies: [], ...defaultIceOptions(), limits: { ...DEFAULT_LIMITS }, build: true, help: false }
}

function parseTls (cert: string | undefined, key: string | undefined): RelayOptions['tls'] {
  const certFile = cert?.trim() ?? ''
  const keyFile = key?.trim() ?? ''
  if (certFile === '' && keyFile === '') return undefined
  if (certFile === '' || keyFile === '') {
    throw new UsageError(`TLS needs both --tls-cert and --tls-key (got only ${certFile === '' ? '--tls-key' : '--tls-cert'}).`)
  }
  return { certFile, keyFile }
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
      throw new UsageError(`--announce must be a multiaddr such as /dns4/relay.example.com/tcp/443/tls/ws, got "${addr}" (${(err as Error).message})`)
    }
  }
  return addrs
}


function parseTrustedProxies (addrs: string[]): string[] {
  for (const addr of addrs) {
    if (isIP(addr) === 0) throw new UsageError(`--trusted-proxy must be the IP address of your reverse proxy, such as 127.0.0.1, got "${addr}"`)
  }
  return addrs
}

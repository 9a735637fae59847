import type { Transport } from './errors.ts'

/** A STUN/TURN URL (RFC 7064, RFC 7065) as the doctor dials it. */
export interface IceUrl {
  url: string
  kind: 'stun' | 'turn'
  /** `stun:`/`turn:` over UDP or TCP, `stuns:`/`turns:` over TLS (DTLS for turns:…?transport=udp). */
  transport: Transport | 'dtls'
  /** As written, without IPv6 brackets. */
  host: string
  port: number
}

/** Default ports of RFC 7064/7065: 3478 plain, 5349 over (D)TLS. */
const PLAIN_PORT = 3478
const SECURE_PORT = 5349

const ICE_URL = /^(stuns?|turns?):(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?(?:\?transport=(udp|tcp))?$/i

/** Parse a URL that parseBootstrapDocument already accepted; undefined for anything else. */
export function parseIceUrl (url: string): IceUrl | undefined {
  const match = ICE_URL.exec(url)
  if (match == null) return undefined
  const scheme = match[1]!.toLowerCase()
  const secure = scheme.endsWith('s')
  const kind = scheme.startsWith('stun') ? 'stun' : 'turn'
  const port = match[3] == null ? (secure ? SECURE_PORT : PLAIN_PORT) : Number(match[3])
  if (port < 1 || port > 65535) return undefined
  // TURN defaults to UDP (turns: to TCP); STUN has no transport parameter and runs over UDP (stuns: over TLS)
  const param = match[4]?.toLowerCase() ?? (secure && kind === 'turn' ? 'tcp' : 'udp')
  const transport = secure ? (param === 'udp' && kind === 'turn' ? 'dtls' : 'tls') : param as Transport
  return { url, kind, transport, host: match[2]!.replace(/^\[|\]$/g, ''), port }
}

/** "UDP", "TCP", "TLS": what a browser behind a given firewall needs to get through. */
export function transportLabel (transport: IceUrl['transport']): string {
  return transport.toUpperCase()
}

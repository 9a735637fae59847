/** A STUN/TURN URL (RFC 7064, RFC 7065), parsed once for everyone who reads them. */
export interface IceUrl {
  url: string
  kind: 'stun' | 'turn'
  /** `stun:`/`turn:` over UDP or TCP, `stuns:`/`turns:` over TLS (DTLS for turns:…?transport=udp). */
  transport: 'udp' | 'tcp' | 'tls' | 'dtls'
  /** As written, without IPv6 brackets. */
  host: string
  port: number
}

/** Default ports of RFC 7064/7065: 3478 plain, 5349 over (D)TLS. */
const PLAIN_PORT = 3478
const SECURE_PORT = 5349

const ICE_URL = /^(stuns?|turns?):(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?(?:\?transport=(udp|tcp))?$/i

/**
 * Parse a STUN or TURN URL; undefined for anything RTCPeerConnection would
 * refuse (its constructor throws on a bad URL) or the RFCs do not allow (a
 * transport parameter on a STUN URL).
 */
export function parseIceUrl (url: string): IceUrl | undefined {
  const match = ICE_URL.exec(url)
  if (match == null) return undefined
  const scheme = match[1]!.toLowerCase()
  const secure = scheme.endsWith('s')
  const kind = scheme.startsWith('stun') ? 'stun' : 'turn'
  if (kind === 'stun' && match[4] != null) return undefined
  const port = match[3] == null ? (secure ? SECURE_PORT : PLAIN_PORT) : Number(match[3])
  if (port < 1 || port > 65535) return undefined
  // TURN defaults to UDP (turns: to TCP); STUN runs over UDP (stuns: over TLS)
  const param = match[4]?.toLowerCase() ?? (secure && kind === 'turn' ? 'tcp' : 'udp')
  const transport = secure ? (param === 'udp' ? 'dtls' : 'tls') : param as 'udp' | 'tcp'
  return { url, kind, transport, host: match[2]!.replace(/^\[|\]$/g, ''), port }
}

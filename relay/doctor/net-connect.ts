import { lookup } from 'node:dns/promises'
import { connect as tcpConnect, isIP, type Socket } from 'node:net'
import { checkServerIdentity, connect as tlsConnect, type PeerCertificate, type TLSSocket } from 'node:tls'
import { CONNECT_TIMEOUT_MS, DNS_TIMEOUT_MS } from './constants.ts'
import { CertificateError, ConnectFailedError, HostNotFoundError, NoAnswerError, TlsHandshakeError, type Endpoint } from './errors.ts'

/**
 * Name resolution and TCP/TLS connections whose every failure becomes one of
 * the doctor's typed errors (relay/doctor/errors.ts), so that each can be
 * explained: refused, silent, unresolvable, or a certificate browsers refuse.
 */

export interface ResolvedHost {
  address: string
  family: 4 | 6
}

const DNS_NOT_FOUND = new Set(['ENOTFOUND', 'EAI_NONAME', 'EAI_NODATA', 'ENODATA', 'EAI_AGAIN', 'ESERVFAIL'])

/** An IP literal as it is; a name through the system resolver, IPv4 first (where most TURN deploys are). */
export async function resolveHost (host: string, options: { signal?: AbortSignal } = {}): Promise<ResolvedHost> {
  const bare = host.replace(/^\[|\]$/g, '')
  const literal = isIP(bare)
  if (literal !== 0) return { address: bare, family: literal as 4 | 6 }
  const signal = withTimeout(options.signal, DNS_TIMEOUT_MS)
  try {
    // dns.lookup takes no signal: race it
    const found = await Promise.race([lookup(bare, { all: true }), aborted(signal)])
    const first = found.find(a => a.family === 4) ?? found[0]
    if (first == null) throw new HostNotFoundError(host)
    return { address: first.address, family: first.family as 4 | 6 }
  } catch (err) {
    options.signal?.throwIfAborted()
    if (signal.aborted || DNS_NOT_FOUND.has((err as NodeJS.ErrnoException).code ?? '')) throw new HostNotFoundError(host, { cause: err })
    throw err
  }
}

/** A TCP connection to `ip` (the resolved `to.host`). */
export async function connectTcp (to: Endpoint, ip: string, options: { signal?: AbortSignal } = {}): Promise<Socket> {
  return await settleConnect(to, options.signal, tcpConnect({ host: ip, port: to.port }), 'connect')
}

export interface TlsConnection {
  socket: TLSSocket
  /** Subject alternative names and expiry, for the report. */
  certificate: { names: string[], validTo: Date }
}

/**
 * A TLS connection verified the way a browser would: a chain to a trusted CA
 * (Node's list plus NODE_EXTRA_CA_CERTS), valid now, naming `to.host`.
 */
export async function connectTls (to: Endpoint, ip: string, options: { signal?: AbortSignal } = {}): Promise<TlsConnection> {
  const servername = isIP(to.host.replace(/^\[|\]$/g, '')) === 0 ? to.host : undefined
  // verified below rather than by rejectUnauthorized, so the report can say why it fails
  const socket = tlsConnect({ host: ip, port: to.port, servername, rejectUnauthorized: false, checkServerIdentity: (_, cert) => checkIdentity(to.host, cert) })
  await settleConnect(to, options.signal, socket, 'secureConnect')
  const cert = socket.getPeerCertificate()
  const names = (cert.subjectaltname ?? '').split(', ').map(n => n.replace(/^(DNS|IP Address):/, '')).filter(n => n !== '')
  const validTo = new Date(cert.valid_to)
  if (!socket.authorized) {
    socket.destroy()
    const code = String(socket.authorizationError ?? 'UNKNOWN')
    const detail = code === 'ERR_TLS_CERT_ALTNAME_INVALID'
      ? ` (it names ${names.join(', ') || 'no host'})`
      : code === 'CERT_HAS_EXPIRED' ? ` (on ${validTo.toISOString().slice(0, 10)})` : ''
    throw new CertificateError(to.host, code, detail)
  }
  return { socket, certificate: { names, validTo } }
}

/** Map a connecting socket's outcome onto the doctor's errors, with CONNECT_TIMEOUT_MS as the bound. */
async function settleConnect<S extends Socket> (to: Endpoint, parent: AbortSignal | undefined, socket: S, event: 'connect' | 'secureConnect'): Promise<S> {
  const signal = withTimeout(parent, CONNECT_TIMEOUT_MS)
  // TCP connected but no TLS handshake is a different fault from no TCP at all
  let connected = false
  socket.once('connect', () => { connected = true })
  try {
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        reject(parent?.aborted === true
          ? parent.reason
          : event === 'secureConnect' && connected ? new TlsHandshakeError(to, CONNECT_TIMEOUT_MS) : new NoAnswerError(to, CONNECT_TIMEOUT_MS))
      }
      signal.addEventListener('abort', onAbort, { once: true })
      socket.once(event, () => { signal.removeEventListener('abort', onAbort); resolve() })
      socket.once('error', err => {
        signal.removeEventListener('abort', onAbort)
        const code = (err as NodeJS.ErrnoException).code
        reject(code === 'ETIMEDOUT' ? new NoAnswerError(to, CONNECT_TIMEOUT_MS) : new ConnectFailedError(to, code ?? err.message, { cause: err }))
      })
      socket.once('close', () => { reject(new ConnectFailedError(to, 'ECONNRESET')) })
    })
    return socket
  } catch (err) {
    socket.destroy()
    throw err
  }
}

/** Node's identity check, given the name the URL used (we connect to the IP). */
function checkIdentity (host: string, cert: PeerCertificate): Error | undefined {
  return checkServerIdentity(host.replace(/^\[|\]$/g, ''), cert)
}

export function withTimeout (parent: AbortSignal | undefined, ms: number): AbortSignal {
  const timeout = AbortSignal.timeout(ms)
  return parent == null ? timeout : AbortSignal.any([parent, timeout])
}

/** A promise that rejects when `signal` aborts (with its reason). */
export async function aborted (signal: AbortSignal): Promise<never> {
  return await new Promise((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason)
    signal.addEventListener('abort', () => { reject(signal.reason) }, { once: true })
  })
}

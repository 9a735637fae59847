/**
 * How a network check can fail: bytes that are not STUN, a name that does not
 * resolve, a port that does not answer, a certificate browsers refuse. `name`
 * is the contract; the message is the sentence the operator reads, saying what
 * to fix.
 */

export type Transport = 'udp' | 'tcp' | 'tls'

const TRANSPORT_NAME: Record<Transport, string> = { udp: 'UDP', tcp: 'TCP', tls: 'TCP (TLS)' }

/** Where a check was talking to, for the sentences. */
export interface Endpoint {
  transport: Transport
  host: string
  port: number
}

function portOf (to: Endpoint): string {
  return `${TRANSPORT_NAME[to.transport]} port ${to.port} of ${to.host}`
}

/** Bytes from the wire that are not a well-formed STUN message (or break one of our bounds). */
export class StunMessageError extends Error {
  static override readonly name = 'StunMessageError'
  override readonly name = 'StunMessageError'
  constructor (reason: string) {
    super(`The answer is not a valid STUN message (${reason}): is a STUN/TURN server listening there, and is it the one the URL means?`)
  }
}

export class HostNotFoundError extends Error {
  static override readonly name = 'HostNotFoundError'
  override readonly name = 'HostNotFoundError'
  readonly host: string
  constructor (host: string, options?: ErrorOptions) {
    super(`The host name ${host} does not resolve: check its DNS record, and that the URL names the right host.`, options)
    this.host = host
  }
}

/** Nothing came back in time: a firewall drops the packets, or nothing listens. */
export class NoAnswerError extends Error {
  static override readonly name = 'NoAnswerError'
  override readonly name = 'NoAnswerError'
  readonly endpoint: Endpoint
  constructor (to: Endpoint, timeoutMs: number) {
    super(`No answer within ${timeoutMs / 1000} s: ${portOf(to)} is blocked by a firewall or nothing listens there. ` +
      `Open it (e.g. ufw allow ${to.port}/${to.transport === 'udp' ? 'udp' : 'tcp'}), check that the server runs and listens on that port, and that the URL names the host it runs on.` +
      (to.transport === 'udp' ? ' If every UDP check fails while TCP ones pass, this machine\'s own network may drop UDP: run the doctor from another one.' : ''))
    this.endpoint = to
  }
}

const CONNECT_ADVICE: Record<string, (to: Endpoint) => string> = {
  ECONNREFUSED: to => `Nothing listens on ${portOf(to)}, or a firewall rejects it (connection refused): check that the server runs, that it listens on port ${to.port}, and that the URL names the host it runs on.`,
  ECONNRESET: to => `${portOf(to)} accepted the connection, then reset it: something else listens there (another service, or a proxy that does not pass this protocol through).`,
  EHOSTUNREACH: to => `${to.host} is unreachable from here (no route to host): check the address, and that a firewall does not reject ${portOf(to)}.`,
  ENETUNREACH: to => `This machine has no route to ${to.host} (network unreachable): an IPv6 address without IPv6 here? Check the address or run the doctor elsewhere.`,
  EADDRNOTAVAIL: to => `Cannot send to ${to.host} from this machine (address not available).`
}

/** The connection could not be made at all. `code` is the system error (ECONNREFUSED...). */
export class ConnectFailedError extends Error {
  static override readonly name = 'ConnectFailedError'
  override readonly name = 'ConnectFailedError'
  readonly endpoint: Endpoint
  readonly code: string
  constructor (to: Endpoint, code: string, options?: ErrorOptions) {
    super(CONNECT_ADVICE[code]?.(to) ?? `Cannot connect to ${portOf(to)} (${code}).`, options)
    this.endpoint = to
    this.code = code
  }
}

/** TCP connected, but no TLS handshake came back: the port speaks something else. */
export class TlsHandshakeError extends Error {
  static override readonly name = 'TlsHandshakeError'
  override readonly name = 'TlsHandshakeError'
  readonly endpoint: Endpoint
  constructor (to: Endpoint, timeoutMs: number) {
    super(`TCP port ${to.port} of ${to.host} accepts connections, but no TLS handshake came back within ${timeoutMs / 1000} s: that port does not speak TLS. ` +
      'For turns: URLs give coturn a certificate (cert=, pkey=) and name its tls-listening-port (default 5349).')
    this.endpoint = to
  }
}

/** The other side closed a TCP/TLS connection before it answered. */
export class ConnectionClosedError extends Error {
  static override readonly name = 'ConnectionClosedError'
  override readonly name = 'ConnectionClosedError'
  readonly endpoint: Endpoint
  constructor (to: Endpoint) {
    super(`${portOf(to)} closed the connection without answering: check that the server there is the one the URL means (not another service), and its log.`)
    this.endpoint = to
  }
}

const CERTIFICATE_ADVICE: Record<string, (host: string, detail: string) => string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: host => `The certificate of ${host} is self-signed: browsers refuse it. Use one from a public CA (e.g. Let's Encrypt).`,
  SELF_SIGNED_CERT_IN_CHAIN: host => `The certificate chain of ${host} ends in a self-signed root no browser trusts. Use a certificate from a public CA (e.g. Let's Encrypt).`,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: host => `${host} sends its certificate without the intermediate certificates: serve the full chain (Let's Encrypt: fullchain.pem, not cert.pem).`,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: host => `The certificate of ${host} is not signed by a CA this machine trusts, or the server omits the intermediates: serve the full chain (fullchain.pem) from a public CA.`,
  CERT_HAS_EXPIRED: (host, detail) => `The certificate of ${host} has expired${detail}: renew it (certbot renew) and restart the server.`,
  CERT_NOT_YET_VALID: (host, detail) => `The certificate of ${host} is not valid yet${detail}: check the clock of this machine and of the server.`,
  ERR_TLS_CERT_ALTNAME_INVALID: (host, detail) => `The certificate does not name ${host}${detail}: get a certificate for ${host}, or use a name it covers in the URL (--announce / --turn).`
}

/** The TLS handshake worked but the certificate is one browsers refuse. `code` is OpenSSL's/Node's. */
export class CertificateError extends Error {
  static override readonly name = 'CertificateError'
  override readonly name = 'CertificateError'
  readonly host: string
  readonly code: string
  /** `detail` completes the sentence, e.g. " (it names example.org)" or " (on 2024-01-01)". */
  constructor (host: string, code: string, detail = '') {
    super(CERTIFICATE_ADVICE[code]?.(host, detail) ?? `Browsers will refuse the certificate of ${host} (${code}${detail}).`)
    this.host = host
    this.code = code
  }
}

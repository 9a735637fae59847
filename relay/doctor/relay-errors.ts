/**
 * How the relay itself can be set up wrongly for browsers: the page, its
 * /bootstrap.json, the announced libp2p addresses, the reservation. `name` is
 * the contract; the message says what to fix.
 */

/** The app is served over http from a host that is not localhost: browsers will not run it there. */
export class InsecureContextError extends Error {
  static override readonly name = 'InsecureContextError'
  override readonly name = 'InsecureContextError'
  constructor (url: string) {
    super(`Browsers only run Chiral in a secure context, and ${url} is plain http on a host other than localhost: give the relay --tls-cert/--tls-key (or put a TLS proxy in front) and use https://.`)
  }
}

export class BootstrapHttpError extends Error {
  static override readonly name = 'BootstrapHttpError'
  override readonly name = 'BootstrapHttpError'
  readonly status: number
  constructor (url: string, status: number) {
    super(status === 404
      ? `${url} answers 404: this is not a Chiral relay (or a proxy sends the request elsewhere); point the URL at the relay.`
      : status === 503
        ? `${url} answers 503: the relay is still starting (or its libp2p node failed); wait a moment, or check its log.`
        : status === 429
          ? `${url} answers 429: this address made too many requests; wait a minute and run the doctor again.`
          : `${url} answers HTTP ${status}: check the relay's log${status >= 500 ? '' : ' and any proxy in front of it'}.`)
    this.status = status
  }
}

/** The relay announces an address where another peer answers. */
export class PeerIdMismatchError extends Error {
  static override readonly name = 'PeerIdMismatchError'
  override readonly name = 'PeerIdMismatchError'
  constructor (address: string, expected: string, actual: string) {
    super(`${address} answers as ${actual}, but /bootstrap.json says the relay is ${expected}: another node listens there (a stale --announce, or two relays behind one name); browsers will refuse it.`)
  }
}

/** An https page cannot open ws:// (mixed content): the address is useless to browsers. */
export class InsecureWebSocketError extends Error {
  static override readonly name = 'InsecureWebSocketError'
  override readonly name = 'InsecureWebSocketError'
  constructor (address: string) {
    super(`${address} is a plain ws:// address, which browsers refuse on an https page: announce /dns4/<name>/tcp/<port>/tls/ws (the relay does so by itself with --tls-cert), or fix --announce.`)
  }
}

/** The WebSocket opens, but no libp2p relay completes the handshake behind it. */
export class Libp2pHandshakeError extends Error {
  static override readonly name = 'Libp2pHandshakeError'
  override readonly name = 'Libp2pHandshakeError'
  constructor (address: string, reason: string, options?: ErrorOptions) {
    super(`The port of ${address} accepts connections, but the libp2p handshake fails (${reason}): is a Chiral relay behind it, and does any proxy pass WebSocket upgrades through?`, options)
  }
}

/** Connected, but no circuit-relay reservation came: browsers could not be reached through this relay. */
export class ReservationTimeoutError extends Error {
  static override readonly name = 'ReservationTimeoutError'
  override readonly name = 'ReservationTimeoutError'
  constructor (timeoutMs: number) {
    super(`Connected, but got no circuit-relay reservation within ${timeoutMs / 1000} s: the relay may be full (--max-reservations, --max-reservations-per-ip); check its log.`)
  }
}

/** /bootstrap.json lists no address at all. */
export class NoAddressesError extends Error {
  static override readonly name = 'NoAddressesError'
  override readonly name = 'NoAddressesError'
  constructor () {
    super('/bootstrap.json lists no libp2p address, so browsers cannot reach the relay: check --announce (it must name /tls/ws or /ws addresses).')
  }
}

/** No announced address could be dialed, so the reservation was not tried. */
export class RelayUnreachableError extends Error {
  static override readonly name = 'RelayUnreachableError'
  override readonly name = 'RelayUnreachableError'
  constructor () {
    super('No announced address could be dialed, so browsers cannot use this relay: fix the libp2p lines above first.')
  }
}

/**
 * How a STUN/TURN server can answer wrongly, each with the sentence that says
 * what to change (mostly in turnserver.conf, or the relay's --turn flags).
 */

const TURN_ADVICE: Record<number, string> = {
  300: 'The server redirects to another one (300 Try Alternate): name that server in --turn instead.',
  400: 'The server refused the request as malformed (400): is this a TURN server (not a STUN-only one: coturn with stun-only)?',
  403: 'coturn refused the request (403 Forbidden): check denied-peer-ip / allowed-peer-ip and no-loopback-peers in turnserver.conf, and its log.',
  420: 'The server does not understand TURN (420 Unknown Attribute): is it a STUN-only server?',
  437: 'The server still holds an allocation for this address and port (437 Allocation Mismatch): run the doctor again in a minute.',
  442: 'coturn will not relay UDP (442 Unsupported Transport Protocol): browsers relay UDP only; remove no-udp-relay from turnserver.conf.',
  486: 'coturn\'s allocation quota is used up (486 Allocation Quota Reached): raise user-quota / total-quota in turnserver.conf, or too many allocations are open.',
  500: 'coturn failed internally (500 Server Error): see its log.',
  508: 'coturn has no free relay port (508 Insufficient Capacity): widen min-port..max-port in turnserver.conf (default 49152-65535) or raise total-quota.'
}

/** An error response other than those with their own class below. */
export class StunErrorResponseError extends Error {
  static override readonly name = 'StunErrorResponseError'
  override readonly name = 'StunErrorResponseError'
  readonly code: number
  readonly reason: string
  constructor (code: number, reason: string) {
    super(TURN_ADVICE[code] ?? `The server answered ${code} ${reason}: see its log.`)
    this.code = code
    this.reason = reason
  }
}

/** 401 after authenticating: coturn does not accept the credentials the relay minted. */
export class TurnCredentialsRejectedError extends Error {
  static override readonly name = 'TurnCredentialsRejectedError'
  override readonly name = 'TurnCredentialsRejectedError'
  constructor (expiredAt?: Date) {
    super(expiredAt != null
      ? `coturn refused the credentials, which expired at ${expiredAt.toISOString()} by this machine's clock: check the clocks of the relay and of coturn (ntp), and --turn-ttl.`
      : 'coturn refused the credentials the relay minted (401 after authenticating): the relay\'s --turn-secret does not match coturn\'s static-auth-secret, or coturn does not run with use-auth-secret. Give both the same secret and restart them.')
  }
}

/** The server answered without REALM/NONCE, or with something else that breaks the long-term credential mechanism. */
export class TurnProtocolError extends Error {
  static override readonly name = 'TurnProtocolError'
  override readonly name = 'TurnProtocolError'
  constructor (what: string) {
    super(`The TURN server ${what}: is it a TURN server (coturn), and the one the URL means?`)
  }
}

/** A response whose MESSAGE-INTEGRITY was not made with our key. */
export class StunIntegrityError extends Error {
  static override readonly name = 'StunIntegrityError'
  override readonly name = 'StunIntegrityError'
  constructor () {
    super('The response\'s MESSAGE-INTEGRITY does not match the credentials: something between here and the server rewrites messages, or it is not the server the URL means.')
  }
}

/** The server allocated without asking for credentials. */
export class OpenRelayError extends Error {
  static override readonly name = 'OpenRelayError'
  override readonly name = 'OpenRelayError'
  constructor () {
    super('The TURN server relays for anyone, without credentials: an open relay gets abused. Run coturn with use-auth-secret and static-auth-secret (the relay\'s --turn-secret).')
  }
}

/** The relayed address is a private one while the server is reached on a public one. */
export class PrivateRelayedAddressError extends Error {
  static override readonly name = 'PrivateRelayedAddressError'
  override readonly name = 'PrivateRelayedAddressError'
  constructor (relayed: string) {
    super(`coturn hands out the private relayed address ${relayed}, which no browser can send to: behind NAT (a cloud VM), set external-ip=<public IP>/<private IP> in turnserver.conf.`)
  }
}

/** coturn refuses a permission for this machine's public address. */
export class PermissionRefusedError extends Error {
  static override readonly name = 'PermissionRefusedError'
  override readonly name = 'PermissionRefusedError'
  constructor (address: string) {
    super(`coturn refuses to relay to this machine's public address ${address} (403 on CreatePermission): browsers at addresses like it cannot be reached through TURN. Check denied-peer-ip / allowed-peer-ip in turnserver.conf.`)
  }
}

/** A datagram sent to the relayed address never came back through the allocation. */
export class RelayPortBlockedError extends Error {
  static override readonly name = 'RelayPortBlockedError'
  override readonly name = 'RelayPortBlockedError'
  constructor (relayed: string, timeoutMs: number) {
    super(`A UDP packet sent from here to the relayed address ${relayed} did not come back through coturn within ${timeoutMs / 1000} s: ` +
      'the firewall in front of coturn blocks its relay ports (UDP min-port..max-port, default 49152-65535: open them), or external-ip names the wrong address. ' +
      '(Run the doctor from outside the server\'s network: inside it, the NAT may not loop packets back. If the UDP checks above fail too, ' +
      'this machine\'s own network may drop UDP: run the doctor from another one.)')
  }
}

/** /bootstrap.json named no TURN server because this address is over --turn-mints-per-hour. */
export class TurnRateLimitedError extends Error {
  static override readonly name = 'TurnRateLimitedError'
  override readonly name = 'TurnRateLimitedError'
  constructor (retryAfterSeconds: number) {
    super(`The relay handed this address no TURN credentials (over --turn-mints-per-hour); TURN was not checked. Run the doctor again in ${Math.ceil(retryAfterSeconds)} s.`)
  }
}

import { randomBytes } from 'node:crypto'
import { MAX_STALE_NONCE_RETRIES } from './constants.ts'
import { longTermKey } from './long-term-key.ts'
import { Attr, decodeErrorCode, decodeText, decodeUint32, decodeXorAddress, encodeText, encodeUint32, encodeXorAddress, Method, REQUESTED_TRANSPORT_UDP, type TransportAddress } from './stun-attributes.ts'
import { attributeOf, encodeStunMessage, hasValidIntegrity, TRANSACTION_ID_BYTES, type DecodedStunMessage, type StunAttribute } from './stun-message.ts'
import { OpenRelayError, StunErrorResponseError, StunIntegrityError, TurnCredentialsRejectedError, TurnProtocolError } from './turn-errors.ts'
import type { StunClient } from './stun-client.ts'

/**
 * A TURN allocation (RFC 5766) made the way a browser makes it: Allocate
 * without credentials, read REALM and NONCE from the 401, Allocate again with
 * USERNAME, REALM, NONCE and MESSAGE-INTEGRITY keyed MD5(username:realm:password).
 */

export const SOFTWARE = encodeText('chiral doctor')

/** A request's attributes, given its transaction id (IPv6 XOR addresses depend on it). */
export type Attributes = (transactionId: Uint8Array) => StunAttribute[]

export interface TurnCredentials {
  username: string
  password: string
}

export interface TurnAllocation {
  relayed: TransportAddress
  /** This machine's address as the TURN server sees it. */
  mapped?: TransportAddress
  lifetimeSeconds?: number
  /** Send an authenticated request on the allocation (stale nonces handled). */
  request(method: number, attributes: Attributes, options?: { signal?: AbortSignal }): Promise<DecodedStunMessage>
  /** Let datagrams from `ip` through to us (CreatePermission). */
  permit(ip: TransportAddress, options?: { signal?: AbortSignal }): Promise<void>
  /** Refresh with LIFETIME 0: the server frees the relayed port at once. */
  release(options?: { signal?: AbortSignal }): Promise<void>
}

export async function allocate (client: StunClient, credentials: TurnCredentials, options: { signal?: AbortSignal } = {}): Promise<TurnAllocation> {
  const requested: Attributes = () => [{ type: Attr.REQUESTED_TRANSPORT, value: REQUESTED_TRANSPORT_UDP }]
  const first = await send(client, Method.ALLOCATE, requested, undefined, options.signal)
  if (first.cls === 'success') {
    await send(client, Method.REFRESH, () => [{ type: Attr.LIFETIME, value: encodeUint32(0) }], undefined, options.signal).catch(() => {})
    throw new OpenRelayError()
  }
  const challenge = errorOf(first)
  if (challenge.code !== 401) throw new StunErrorResponseError(challenge.code, challenge.reason)
  let realm = textOf(first, Attr.REALM, 'REALM')
  let nonce = textOf(first, Attr.NONCE, 'NONCE')
  if (realm == null || nonce == null) throw new TurnProtocolError('answered 401 without REALM and NONCE')
  const key = (): Uint8Array => longTermKey(credentials.username, realm!, credentials.password)

  const request = async (method: number, attributes: Attributes, callOptions: { signal?: AbortSignal } = {}): Promise<DecodedStunMessage> => {
    for (let attempt = 0; ; attempt++) {
      const auth = [
        { type: Attr.USERNAME, value: encodeText(credentials.username) },
        { type: Attr.REALM, value: encodeText(realm!) },
        { type: Attr.NONCE, value: encodeText(nonce!) }
      ]
      const response = await send(client, method, id => [...attributes(id), ...auth], key(), callOptions.signal ?? options.signal)
      if (response.cls === 'success') {
        // RFC 5389 section 10.2.3: a response to an authenticated request is authenticated too
        if (response.integrityAt != null && !hasValidIntegrity(response, key())) throw new StunIntegrityError()
        return response
      }
      const { code, reason } = errorOf(response)
      if (code === 438 && attempt < MAX_STALE_NONCE_RETRIES) {
        // 438 Stale Nonce: retry with the fresh nonce (and realm) it carries
        nonce = textOf(response, Attr.NONCE, 'NONCE') ?? nonce
        realm = textOf(response, Attr.REALM, 'REALM') ?? realm
        continue
      }
      if (code === 401) throw new TurnCredentialsRejectedError(expiryOf(credentials.username))
      throw new StunErrorResponseError(code, reason)
    }
  }

  const allocated = await request(Method.ALLOCATE, requested)
  const relayedValue = attributeOf(allocated, Attr.XOR_RELAYED_ADDRESS)
  if (relayedValue == null) throw new TurnProtocolError('allocated without an XOR-RELAYED-ADDRESS')
  const mappedValue = attributeOf(allocated, Attr.XOR_MAPPED_ADDRESS)
  const lifetimeValue = attributeOf(allocated, Attr.LIFETIME)
  return {
    relayed: decodeXorAddress(relayedValue, allocated.transactionId),
    ...(mappedValue != null ? { mapped: decodeXorAddress(mappedValue, allocated.transactionId) } : {}),
    ...(lifetimeValue != null ? { lifetimeSeconds: decodeUint32(lifetimeValue, 'LIFETIME') } : {}),
    request,
    permit: async (peer, callOptions) => {
      // the port is ignored: a permission is per IP address (RFC 5766 section 8)
      await request(Method.CREATE_PERMISSION, id => [{ type: Attr.XOR_PEER_ADDRESS, value: encodeXorAddress({ ...peer, port: 0 }, id) }], callOptions)
    },
    release: async callOptions => {
      await request(Method.REFRESH, () => [{ type: Attr.LIFETIME, value: encodeUint32(0) }], callOptions)
    }
  }
}

/** One transaction with a fresh transaction id (a retry is a new transaction). */
async function send (client: StunClient, method: number, attributes: Attributes, key: Uint8Array | undefined, signal: AbortSignal | undefined): Promise<DecodedStunMessage> {
  const transactionId = randomBytes(TRANSACTION_ID_BYTES)
  const message = encodeStunMessage({ method, cls: 'request', transactionId, attributes: [...attributes(transactionId), { type: Attr.SOFTWARE, value: SOFTWARE }] }, { integrityKey: key, fingerprint: true })
  return await client.request(message, transactionId, { signal })
}

function errorOf (response: DecodedStunMessage): { code: number, reason: string } {
  const value = attributeOf(response, Attr.ERROR_CODE)
  if (value == null) throw new TurnProtocolError('sent an error response without ERROR-CODE')
  return decodeErrorCode(value)
}

function textOf (message: DecodedStunMessage, type: number, what: string): string | undefined {
  const value = attributeOf(message, type)
  return value == null ? undefined : decodeText(value, what)
}

/** TURN REST usernames start with their expiry (unix seconds); a past one explains a 401 better than the secret does. */
function expiryOf (username: string): Date | undefined {
  const seconds = Number(/^(\d+):/.exec(username)?.[1])
  if (!Number.isSafeInteger(seconds) || seconds * 1000 > Date.now()) return undefined
  return new Date(seconds * 1000)
}

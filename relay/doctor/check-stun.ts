import { randomBytes } from 'node:crypto'
import { failed, passed, skipped, type CheckResult } from './check-result.ts'
import { type IceUrl } from './ice-url.ts'
import { resolveHost } from './net-connect.ts'
import { Attr, decodeErrorCode, decodePlainAddress, decodeXorAddress, formatAddress, Method } from './stun-attributes.ts'
import { openStunClient } from './stun-client.ts'
import { attributeOf, encodeStunMessage, TRANSACTION_ID_BYTES } from './stun-message.ts'
import { StunErrorResponseError, TurnProtocolError } from './turn-errors.ts'
import { SOFTWARE } from './turn-session.ts'

/**
 * A STUN Binding request, as a browser sends one to gather its server-reflexive
 * candidate: the answer is this machine's address as the internet sees it.
 */
export async function checkStun (url: IceUrl, options: { signal?: AbortSignal } = {}): Promise<CheckResult> {
  if (url.transport === 'dtls') return skipped('STUN', `${url.url}: STUN over DTLS is not checked`)
  const capability = 'stun'
  try {
    const { address, family } = await resolveHost(url.host, options)
    const client = await openStunClient({ transport: url.transport, host: url.host, port: url.port }, address, family, options)
    try {
      const transactionId = randomBytes(TRANSACTION_ID_BYTES)
      const request = encodeStunMessage({ method: Method.BINDING, cls: 'request', transactionId, attributes: [{ type: Attr.SOFTWARE, value: SOFTWARE }] }, { fingerprint: true })
      const response = await client.request(request, transactionId, options)
      if (response.cls === 'error') {
        const { code, reason } = decodeErrorCode(attributeOf(response, Attr.ERROR_CODE) ?? new Uint8Array(0))
        throw new StunErrorResponseError(code, reason)
      }
      const xor = attributeOf(response, Attr.XOR_MAPPED_ADDRESS)
      // RFC 3489 servers answer MAPPED-ADDRESS only; browsers accept either
      const plain = attributeOf(response, Attr.MAPPED_ADDRESS)
      const mapped = xor != null ? decodeXorAddress(xor, response.transactionId) : plain != null ? decodePlainAddress(plain) : undefined
      if (mapped == null) throw new TurnProtocolError('answered the Binding request without a mapped address')
      return passed('STUN', `${url.url} (${address}): this machine is ${formatAddress(mapped)} as seen from there`, { capability })
    } finally {
      client.close()
    }
  } catch (err) {
    return failed('STUN', url.url, err, { capability })
  }
}

import { createHmac, timingSafeEqual } from 'node:crypto'
import { crc32 } from 'node:zlib'
import { MAX_STUN_ATTRIBUTES, MAX_STUN_MESSAGE_BYTES } from './constants.ts'
import { StunMessageError } from './errors.ts'

/**
 * The STUN message (RFC 5389 section 6): a 20-byte header, then
 * type-length-value attributes padded to 4 bytes, optionally closed by
 * MESSAGE-INTEGRITY (HMAC-SHA1) and FINGERPRINT (CRC-32). Decoding refuses
 * anything malformed or past our bounds with a StunMessageError, never a
 * RangeError from reading past the end.
 */

export const HEADER_BYTES = 20
export const MAGIC_COOKIE = 0x2112a442
export const TRANSACTION_ID_BYTES = 12
export const ATTR_MESSAGE_INTEGRITY = 0x0008
export const ATTR_FINGERPRINT = 0x8028

const ATTRIBUTE_HEADER_BYTES = 4
const INTEGRITY_BYTES = 20
const FINGERPRINT_BYTES = 4
/** CRC-32 of the message XOR "STUN", so a FINGERPRINT tells STUN from other protocols on the port. */
const FINGERPRINT_XOR = 0x5354554e

export type StunClass = 'request' | 'indication' | 'success' | 'error'
/** The class bits C1 (0x100) and C0 (0x010), spread between the method bits. */
const CLASS_BITS: Record<StunClass, number> = { request: 0x000, indication: 0x010, success: 0x100, error: 0x110 }
const CLASS_OF_BITS = new Map(Object.entries(CLASS_BITS).map(([cls, bits]) => [bits, cls as StunClass]))

export interface StunAttribute {
  type: number
  value: Uint8Array
}

export interface StunMessage {
  /** 12 bits, e.g. 0x001 Binding, 0x003 Allocate. */
  method: number
  cls: StunClass
  transactionId: Uint8Array
  /** In wire order, without MESSAGE-INTEGRITY and FINGERPRINT (those are options when encoding). */
  attributes: StunAttribute[]
}

export interface DecodedStunMessage extends StunMessage {
  /** The message as received: MESSAGE-INTEGRITY is checked over these bytes. */
  bytes: Uint8Array
  /** Offset of the MESSAGE-INTEGRITY attribute, when the message has one. */
  integrityAt?: number
  /** A FINGERPRINT was present (a wrong one is refused while decoding). */
  fingerprinted: boolean
}

export interface EncodeOptions {
  /** Append MESSAGE-INTEGRITY computed with this key (long-term: MD5(username:realm:password)). */
  integrityKey?: Uint8Array
  /** Append FINGERPRINT. */
  fingerprint?: boolean
  /** The padding byte: any value is valid (RFC 5389 section 15); RFC 5769's vectors pad with spaces. */
  padding?: number
}

export function encodeStunMessage (message: StunMessage, options: EncodeOptions = {}): Uint8Array {
  if (message.transactionId.length !== TRANSACTION_ID_BYTES) throw new StunMessageError(`transaction id of ${message.transactionId.length} bytes`)
  const padded = (n: number): number => (n + 3) & ~3
  const attributesLength = message.attributes.reduce((n, a) => n + ATTRIBUTE_HEADER_BYTES + padded(a.value.length), 0)
  const integrityLength = options.integrityKey != null ? ATTRIBUTE_HEADER_BYTES + INTEGRITY_BYTES : 0
  const fingerprintLength = options.fingerprint === true ? ATTRIBUTE_HEADER_BYTES + FINGERPRINT_BYTES : 0
  const total = HEADER_BYTES + attributesLength + integrityLength + fingerprintLength
  const bytes = new Uint8Array(total).fill(options.padding ?? 0)
  const view = new DataView(bytes.buffer)
  view.setUint16(0, messageType(message.method, message.cls))
  view.setUint32(4, MAGIC_COOKIE)
  bytes.set(message.transactionId, 8)
  let at = HEADER_BYTES
  for (const attribute of message.attributes) {
    if (attribute.value.length > 0xffff) throw new StunMessageError(`attribute 0x${attribute.type.toString(16)} longer than 65535 bytes`)
    view.setUint16(at, attribute.type)
    view.setUint16(at + 2, attribute.value.length)
    bytes.set(attribute.value, at + ATTRIBUTE_HEADER_BYTES)
    at += ATTRIBUTE_HEADER_BYTES + padded(attribute.value.length)
  }
  if (options.integrityKey != null) {
    // the length field covers MESSAGE-INTEGRITY itself, not what follows it
    view.setUint16(2, at + integrityLength - HEADER_BYTES)
    const hmac = createHmac('sha1', options.integrityKey).update(bytes.subarray(0, at)).digest()
    view.setUint16(at, ATTR_MESSAGE_INTEGRITY)
    view.setUint16(at + 2, INTEGRITY_BYTES)
    bytes.set(hmac, at + ATTRIBUTE_HEADER_BYTES)
    at += integrityLength
  }
  view.setUint16(2, total - HEADER_BYTES)
  if (options.fingerprint === true) {
    view.setUint16(at, ATTR_FINGERPRINT)
    view.setUint16(at + 2, FINGERPRINT_BYTES)
    view.setUint32(at + ATTRIBUTE_HEADER_BYTES, (crc32(bytes.subarray(0, at)) ^ FINGERPRINT_XOR) >>> 0)
  }
  return bytes
}

/**
 * Total size of the STUN message whose first bytes are `head` (at least 4),
 * for reading STUN from a TCP stream; throws when it cannot be STUN or is too long.
 */
export function stunMessageSize (head: Uint8Array): number {
  if (head.length < 4) throw new StunMessageError('fewer than 4 bytes to read a length from')
  if ((head[0]! & 0xc0) !== 0) throw new StunMessageError('the first two bits are not zero (ChannelData, TLS or another protocol)')
  const size = HEADER_BYTES + ((head[2]! << 8) | head[3]!)
  if (size > MAX_STUN_MESSAGE_BYTES) throw new StunMessageError(`${size} bytes, more than the ${MAX_STUN_MESSAGE_BYTES} accepted`)
  return size
}

/** Parse one whole STUN message. @throws StunMessageError */
export function decodeStunMessage (bytes: Uint8Array): DecodedStunMessage {
  if (bytes.length < HEADER_BYTES) throw new StunMessageError(`${bytes.length} bytes, shorter than the 20-byte header`)
  if (stunMessageSize(bytes) !== bytes.length) throw new StunMessageError(`the length field says ${stunMessageSize(bytes)} bytes, got ${bytes.length}`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (view.getUint32(4) !== MAGIC_COOKIE) throw new StunMessageError('wrong magic cookie (an RFC 3489 server, or not STUN)')
  if (view.getUint16(2) % 4 !== 0) throw new StunMessageError('the length is not a multiple of 4')
  const type = view.getUint16(0)
  const cls = CLASS_OF_BITS.get(type & 0x110) as StunClass
  const method = (type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2)

  const attributes: StunAttribute[] = []
  let integrityAt: number | undefined
  let fingerprinted = false
  let count = 0
  for (let at = HEADER_BYTES; at < bytes.length;) {
    if (++count > MAX_STUN_ATTRIBUTES) throw new StunMessageError(`more than ${MAX_STUN_ATTRIBUTES} attributes`)
    if (at + ATTRIBUTE_HEADER_BYTES > bytes.length) throw new StunMessageError('an attribute header is cut off')
    const attrType = view.getUint16(at)
    const length = view.getUint16(at + 2)
    const end = at + ATTRIBUTE_HEADER_BYTES + length
    if (end > bytes.length) throw new StunMessageError(`attribute 0x${attrType.toString(16)} runs past the end of the message`)
    const value = bytes.subarray(at + ATTRIBUTE_HEADER_BYTES, end)
    if (attrType === ATTR_FINGERPRINT) {
      if (length !== FINGERPRINT_BYTES || end !== bytes.length) throw new StunMessageError('FINGERPRINT is not a 4-byte last attribute')
      const expected = (crc32(withLength(bytes, at, end)) ^ FINGERPRINT_XOR) >>> 0
      if (view.getUint32(at + ATTRIBUTE_HEADER_BYTES) !== expected) throw new StunMessageError('FINGERPRINT does not match (corrupted in transit)')
      fingerprinted = true
    } else if (attrType === ATTR_MESSAGE_INTEGRITY && integrityAt == null) {
      if (length !== INTEGRITY_BYTES) throw new StunMessageError('MESSAGE-INTEGRITY is not 20 bytes')
      integrityAt = at
    } else if (integrityAt == null) {
      // RFC 5389 section 15.4: only FINGERPRINT counts after MESSAGE-INTEGRITY
      attributes.push({ type: attrType, value })
    }
    at = (end + 3) & ~3
  }
  return {
    method,
    cls,
    transactionId: Uint8Array.from(bytes.subarray(8, HEADER_BYTES)),
    attributes,
    bytes,
    ...(integrityAt != null ? { integrityAt } : {}),
    fingerprinted
  }
}

/** Whether the message carries a MESSAGE-INTEGRITY made with `key`. */
export function hasValidIntegrity (message: DecodedStunMessage, key: Uint8Array): boolean {
  const at = message.integrityAt
  if (at == null) return false
  const end = at + ATTRIBUTE_HEADER_BYTES + INTEGRITY_BYTES
  const expected = createHmac('sha1', key).update(withLength(message.bytes, at, end)).digest()
  return timingSafeEqual(expected, message.bytes.subarray(at + ATTRIBUTE_HEADER_BYTES, end))
}

/** The first value of an attribute type (RFC 5389: later duplicates are ignored). */
export function attributeOf (message: StunMessage, type: number): Uint8Array | undefined {
  return message.attributes.find(a => a.type === type)?.value
}

function messageType (method: number, cls: StunClass): number {
  if (method < 0 || method > 0xfff) throw new StunMessageError(`method 0x${method.toString(16)} does not fit 12 bits`)
  return (method & 0x000f) | ((method & 0x0070) << 1) | ((method & 0x0f80) << 2) | CLASS_BITS[cls]
}

/**
 * The bytes before offset `at`, with the header's length field set as if the
 * message ended at `end`: what MESSAGE-INTEGRITY and FINGERPRINT are computed over.
 */
function withLength (bytes: Uint8Array, at: number, end: number): Uint8Array {
  // a copy: Buffer's slice() is a view, and the received message must stay as it was
  const copy = Uint8Array.from(bytes.subarray(0, at))
  new DataView(copy.buffer).setUint16(2, end - HEADER_BYTES)
  return copy
}

import { describe, expect, it } from 'vitest'
import { MAX_STUN_ATTRIBUTES, MAX_STUN_MESSAGE_BYTES } from '../../relay/doctor/constants.ts'
import { longTermKey, saslPrep } from '../../relay/doctor/long-term-key.ts'
import { Attr, decodeErrorCode, decodeText, decodeXorAddress, encodeXorAddress, Method } from '../../relay/doctor/stun-attributes.ts'
import { attributeOf, decodeStunMessage, encodeStunMessage, hasValidIntegrity, stunMessageSize } from '../../relay/doctor/stun-message.ts'

/** RFC 5769 test vectors, transcribed from the RFC's hex dumps. */
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'))
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s)

const TRANSACTION_ID = hex('b7e7a701 bc34d686 fa87dfae')
const SHORT_TERM_PASSWORD = 'VOkJxbRl1RmTxUk/WvJxBt'

/** 2.1 Sample Request: SOFTWARE, PRIORITY, ICE-CONTROLLED, USERNAME (padded with spaces), MESSAGE-INTEGRITY, FINGERPRINT. */
const SAMPLE_REQUEST = hex(`
  00010058 2112a442 b7e7a701 bc34d686 fa87dfae
  80220010 5354554e 20746573 7420636c 69656e74
  00240004 6e0001ff
  80290008 932ff9b1 51263b36
  00060009 6576746a 3a683676 59202020
  00080014 9aeaa70c bfd8cb56 781ef2b5 b2d3f249 c1b571a2
  80280004 e57a3bcf`)

/** 2.2 Sample IPv4 Response: XOR-MAPPED-ADDRESS 192.0.2.1:32853. */
const SAMPLE_IPV4_RESPONSE = hex(`
  0101003c 2112a442 b7e7a701 bc34d686 fa87dfae
  8022000b 74657374 20766563 746f7220
  00200008 0001a147 e112a643
  00080014 2b91f599 fd9e90c3 8c7489f9 2af9ba53 f06be7d7
  80280004 c07d4c96`)

/** 2.3 Sample IPv6 Response: XOR-MAPPED-ADDRESS [2001:db8:1234:5678:11:2233:4455:6677]:32853. */
const SAMPLE_IPV6_RESPONSE = hex(`
  01010048 2112a442 b7e7a701 bc34d686 fa87dfae
  8022000b 74657374 20766563 746f7220
  00200014 0002a147 0113a9fa a5d3f179 bc25f4b5 bed2b9d9
  00080014 a382954e 4be67bf1 1784c97c 8292c275 bfe3ed41
  80280004 c8fb0b4c`)

/** 2.4 Sample Request with Long-Term Authentication: USERNAME, NONCE, REALM, MESSAGE-INTEGRITY. */
const LONG_TERM_REQUEST = hex(`
  00010060 2112a442 78ad3433 c6ad72c0 29da412e
  00060012 e3839ee3 8388e383 aae38383 e382afe3 82b90000
  0015001c 662f2f34 39396b39 35346436 4f4c3334 6f4c3946 53547679 36347341
  0014000b 6578616d 706c652e 6f726700
  00080014 f6702465 6dd64a3e 02b8e071 2e85c9a2 8ca89666`)
const LONG_TERM_USERNAME = '\u30de\u30c8\u30ea\u30c3\u30af\u30b9'
const LONG_TERM_PASSWORD = 'The\u00adM\u00aatr\u2168'

function stunError (fn: () => unknown): Error {
  try {
    fn()
  } catch (err) {
    expect((err as Error).name).toBe('StunMessageError')
    return err as Error
  }
  throw new Error('expected a StunMessageError')
}

describe('STUN codec against RFC 5769', () => {
  it('decodes the sample request and checks its MESSAGE-INTEGRITY and FINGERPRINT', () => {
    const message = decodeStunMessage(SAMPLE_REQUEST)
    expect(message).toMatchObject({ method: Method.BINDING, cls: 'request', fingerprinted: true })
    expect(message.transactionId).toEqual(TRANSACTION_ID)
    expect(decodeText(attributeOf(message, Attr.USERNAME)!, 'USERNAME')).toBe('evtj:h6vY')
    expect(decodeText(attributeOf(message, Attr.SOFTWARE)!, 'SOFTWARE')).toBe('STUN test client')
    expect(hasValidIntegrity(message, utf8(SHORT_TERM_PASSWORD))).toBe(true)
    expect(hasValidIntegrity(message, utf8('wrong password'))).toBe(false)
  })

  it('re-encodes the sample request byte for byte (the RFC pads with spaces)', () => {
    const message = decodeStunMessage(SAMPLE_REQUEST)
    const encoded = encodeStunMessage(message, { integrityKey: utf8(SHORT_TERM_PASSWORD), fingerprint: true, padding: 0x20 })
    expect(Buffer.from(encoded).toString('hex')).toBe(Buffer.from(SAMPLE_REQUEST).toString('hex'))
  })

  it('decodes the IPv4 and IPv6 responses, their XOR-MAPPED-ADDRESS and integrity', () => {
    for (const [bytes, address] of [[SAMPLE_IPV4_RESPONSE, '192.0.2.1'], [SAMPLE_IPV6_RESPONSE, '2001:db8:1234:5678:11:2233:4455:6677']] as const) {
      const message = decodeStunMessage(bytes)
      expect(message).toMatchObject({ method: Method.BINDING, cls: 'success', fingerprinted: true })
      expect(decodeXorAddress(attributeOf(message, Attr.XOR_MAPPED_ADDRESS)!, message.transactionId)).toMatchObject({ address, port: 32853 })
      expect(hasValidIntegrity(message, utf8(SHORT_TERM_PASSWORD))).toBe(true)
      const again = encodeStunMessage(message, { integrityKey: utf8(SHORT_TERM_PASSWORD), fingerprint: true, padding: 0x20 })
      expect(Buffer.from(again).toString('hex')).toBe(Buffer.from(bytes).toString('hex'))
    }
  })

  it('leaves a received Buffer as it was (Buffer.slice is a view) and checks integrity repeatably', () => {
    const received = Buffer.from(SAMPLE_IPV4_RESPONSE)
    const message = decodeStunMessage(received)
    expect(hasValidIntegrity(message, utf8(SHORT_TERM_PASSWORD))).toBe(true)
    expect(hasValidIntegrity(message, utf8(SHORT_TERM_PASSWORD))).toBe(true)
    expect(received.equals(SAMPLE_IPV4_RESPONSE)).toBe(true)
  })

  it('encodes XOR addresses back to the vectors', () => {
    expect(encodeXorAddress({ family: 4, address: '192.0.2.1', port: 32853 }, TRANSACTION_ID)).toEqual(hex('0001a147 e112a643'))
    expect(encodeXorAddress({ family: 6, address: '2001:db8:1234:5678:11:2233:4455:6677', port: 32853 }, TRANSACTION_ID))
      .toEqual(hex('0002a147 0113a9fa a5d3f179 bc25f4b5 bed2b9d9'))
  })

  it('computes the long-term key with SASLprep and reproduces the long-term request', () => {
    expect(saslPrep(LONG_TERM_PASSWORD)).toBe('TheMatrIX')
    const key = longTermKey(LONG_TERM_USERNAME, 'example.org', LONG_TERM_PASSWORD)
    expect(Buffer.from(key).toString('hex')).toBe(Buffer.from(longTermKey(LONG_TERM_USERNAME, 'example.org', 'TheMatrIX')).toString('hex'))
    const message = decodeStunMessage(LONG_TERM_REQUEST)
    expect(message.fingerprinted).toBe(false)
    expect(decodeText(attributeOf(message, Attr.USERNAME)!, 'USERNAME')).toBe(LONG_TERM_USERNAME)
    expect(decodeText(attributeOf(message, Attr.NONCE)!, 'NONCE')).toBe('f//499k954d6OL34oL9FSTvy64sA')
    expect(hasValidIntegrity(message, key)).toBe(true)
    const encoded = encodeStunMessage({
      method: Method.BINDING,
      cls: 'request',
      transactionId: message.transactionId,
      attributes: [
        { type: Attr.USERNAME, value: utf8(LONG_TERM_USERNAME) },
        { type: Attr.NONCE, value: utf8('f//499k954d6OL34oL9FSTvy64sA') },
        { type: Attr.REALM, value: utf8('example.org') }
      ]
    }, { integrityKey: key })
    expect(Buffer.from(encoded).toString('hex')).toBe(Buffer.from(LONG_TERM_REQUEST).toString('hex'))
  })

  it('round-trips the TURN methods and classes, and ERROR-CODE', () => {
    const transactionId = hex('000102030405060708090a0b')
    for (const method of Object.values(Method)) {
      for (const cls of ['request', 'indication', 'success', 'error'] as const) {
        expect(decodeStunMessage(encodeStunMessage({ method, cls, transactionId, attributes: [] }))).toMatchObject({ method, cls })
      }
    }
    // 401 Unauthorized: class 4, number 1
    expect(decodeErrorCode(Uint8Array.of(0, 0, 4, 1, ...utf8('Unauthorized')))).toEqual({ code: 401, reason: 'Unauthorized' })
  })
})

describe('STUN codec refuses malformed input with StunMessageError', () => {
  const valid = SAMPLE_IPV4_RESPONSE
  const patched = (edit: (b: Uint8Array) => void): Uint8Array => {
    const copy = valid.slice()
    edit(copy)
    return copy
  }

  it('refuses every truncation of a valid message', () => {
    for (let n = 0; n < valid.length; n++) stunError(() => decodeStunMessage(valid.subarray(0, n)))
  })

  it('refuses bad headers, lengths and attributes', () => {
    expect(stunError(() => decodeStunMessage(patched(b => { b[0] = 0x41 }))).message).toMatch(/first two bits/)
    expect(stunError(() => decodeStunMessage(patched(b => { b[4] = 0 }))).message).toMatch(/magic cookie/)
    expect(stunError(() => decodeStunMessage(patched(b => { b[3] = 0x3d }))).message).toMatch(/length field/)
    // an attribute whose length runs past the end
    expect(stunError(() => decodeStunMessage(patched(b => { b[22] = 0xff }))).message).toMatch(/past the end/)
    // a flipped bit anywhere is caught by FINGERPRINT
    expect(stunError(() => decodeStunMessage(patched(b => { b[30] = b[30]! ^ 1 }))).message).toMatch(/FINGERPRINT/)
    // a bad XOR-MAPPED-ADDRESS family
    const message = decodeStunMessage(valid)
    stunError(() => decodeXorAddress(Uint8Array.of(0, 3, 0, 0, 1, 2, 3, 4), message.transactionId))
    stunError(() => decodeXorAddress(Uint8Array.of(0, 1, 0, 0, 1, 2), message.transactionId))
    stunError(() => decodeErrorCode(Uint8Array.of(0, 0, 4)))
    stunError(() => decodeErrorCode(Uint8Array.of(0, 0, 9, 1)))
    stunError(() => decodeText(Uint8Array.of(0xff, 0xfe), 'REALM'))
  })

  it('refuses messages past the size and attribute-count bounds', () => {
    const transactionId = hex('000102030405060708090a0b')
    const many = encodeStunMessage({ method: Method.BINDING, cls: 'success', transactionId, attributes: Array.from({ length: MAX_STUN_ATTRIBUTES + 1 }, () => ({ type: Attr.SOFTWARE, value: new Uint8Array(0) })) })
    expect(stunError(() => decodeStunMessage(many)).message).toMatch(/attributes/)
    const big = encodeStunMessage({ method: Method.BINDING, cls: 'success', transactionId, attributes: [{ type: Attr.DATA, value: new Uint8Array(MAX_STUN_MESSAGE_BYTES) }] })
    expect(stunError(() => decodeStunMessage(big)).message).toMatch(/accepted/)
    expect(stunError(() => stunMessageSize(big.subarray(0, 4))).message).toMatch(/accepted/)
  })

  it('survives random bytes without any other kind of error', () => {
    let seed = 42
    const random = (): number => { seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31; return seed & 0xff }
    for (let i = 0; i < 2000; i++) {
      const bytes = valid.slice()
      // keep the header plausible half the time, so the attribute parser gets exercised
      for (let j = i % 2 === 0 ? 20 : 0; j < bytes.length; j++) if (random() < 40) bytes[j] = random()
      try {
        decodeStunMessage(bytes)
      } catch (err) {
        expect((err as Error).name).toBe('StunMessageError')
      }
    }
  })
})

import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { identity } from 'multiformats/hashes/identity'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { MAX_BLOCK_BYTES, MAX_CID_BYTES, MAX_FRAME_BYTES, MAX_REQUEST_FRAME_BYTES, MAX_WANTS_PER_REQUEST } from '../../app/core/constants.ts'
import { FrameDecoder, decodeFrames, decodeRequests, decodeResponses, encodeBlock, encodeCancel, encodeDontHave, encodeVarint, encodeWant, type Message } from '../../app/core/protocol/block-codec.ts'
import { patternBytes } from '../helpers/bytes.ts'

async function cidOf (bytes: Uint8Array): Promise<CID> {
  return CID.createV1(raw.code, await sha256.digest(bytes))
}

/** The largest CID a frame may carry: an identity-hash CIDv1 of exactly MAX_CID_BYTES. */
function largestCid (fill: number): CID {
  const cid = CID.createV1(raw.code, identity.digest(new Uint8Array(MAX_CID_BYTES - 4).fill(fill)))
  expect(cid.bytes.byteLength).toBe(MAX_CID_BYTES)
  return cid
}

const sampleCid = CID.parse('bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku')

/** Edit a frame's payload (in place, or return a new one) and frame it again. */
function reframe (wire: Uint8Array, edit: (payload: Uint8Array) => Uint8Array | void): Uint8Array {
  const payload = wire.slice(1) // every frame here is shorter than 128 bytes: a 1-byte length
  expect(wire[0]).toBe(payload.byteLength)
  const edited = edit(payload) ?? payload
  return concat(encodeVarint(edited.byteLength), edited)
}

function decodeAll (bytes: Uint8Array, pieceSize = bytes.byteLength, maxFrameBytes?: number): Message[] {
  const decoder = new FrameDecoder({ maxFrameBytes })
  const out: Message[] = []
  for (let i = 0; i < bytes.byteLength; i += pieceSize) out.push(...decoder.push(bytes.subarray(i, i + pieceSize)))
  decoder.end()
  return out
}

function concat (...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
  let offset = 0
  for (const p of parts) { out.set(p, offset); offset += p.byteLength }
  return out
}

describe('block protocol codec', () => {
  it('round-trips want, block and dont-have, even split into 1-byte pieces', async () => {
    const data = patternBytes(5000)
    const cid = await cidOf(data)
    const other = await cidOf(Uint8Array.of(1))
    const wire = concat(encodeWant([cid, other]), encodeBlock(cid, data).subarray(), encodeDontHave(other))
    for (const piece of [wire.byteLength, 1, 7]) {
      const messages = decodeAll(wire, piece)
      expect(messages).toHaveLength(3)
      expect(messages[0]).toMatchObject({ type: 'want' })
      expect((messages[0] as { cids: CID[] }).cids.map(String)).toEqual([cid.toString(), other.toString()])
      expect(messages[1]).toMatchObject({ type: 'block' })
      expect((messages[1] as { bytes: Uint8Array }).bytes).toEqual(data)
      expect(messages[2]).toMatchObject({ type: 'dont-have' })
    }
  })

  it('treats a stream cut inside a frame as truncation, never a clean end', async () => {
    const data = patternBytes(1000)
    const wire = encodeBlock(await cidOf(data), data).subarray()
    const cut = wire.subarray(0, wire.byteLength - 10)
    await expect((async () => { for await (const _ of decodeFrames([cut] as any)) {} })()).rejects.toHaveProperty('name', 'StreamTruncatedError')
  })

  it.each([
    ['an oversized frame length', () => encodeVarint(MAX_FRAME_BYTES + 1)],
    ['an empty frame', () => Uint8Array.of(0)],
    ['an unknown message type', () => Uint8Array.of(1, 0x7f)],
    ['a varint that never ends', () => Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff)],
    ['a want list with zero CIDs', () => Uint8Array.of(2, 0x01, 0)],
    ['a want list over the limit', () => concat(Uint8Array.of(2, 0x01), encodeVarint(MAX_WANTS_PER_REQUEST + 1))], // count < 128: one varint byte
    ['a CID that is garbage', () => Uint8Array.of(5, 0x03, 3, 0xff, 0xff, 0xff)],
    ['a CID length past the frame', () => Uint8Array.of(3, 0x03, 40, 1)]
  ])('rejects %s with ProtocolError', (_label, make) => {
    expect(() => decodeAll(make())).toThrow(expect.objectContaining({ name: 'ProtocolError' }))
  })

  it('rejects a block larger than MAX_BLOCK_BYTES', async () => {
    const big = new Uint8Array(MAX_BLOCK_BYTES + 1)
    const wire = encodeBlock(await cidOf(Uint8Array.of(1)), big).subarray()
    expect(() => decodeAll(wire)).toThrow(expect.objectContaining({ name: 'ProtocolError' }))
  })

  it('refuses to encode an over-long want list', async () => {
    const cid = await cidOf(Uint8Array.of(1))
    expect(() => encodeWant(Array.from({ length: MAX_WANTS_PER_REQUEST + 1 }, () => cid))).toThrow(RangeError)
  })

  it('round-trips a cancel list, repeats and order kept, even split into 1-byte pieces', async () => {
    const a = await cidOf(Uint8Array.of(1))
    const b = await cidOf(Uint8Array.of(2))
    const wire = concat(encodeWant([a, b, a]), encodeCancel([a, b, a]))
    for (const piece of [wire.byteLength, 1]) {
      const [want, cancel] = decodeAll(wire, piece)
      expect(cancel).toMatchObject({ type: 'cancel' })
      expect((cancel as { cids: CID[] }).cids.map(String)).toEqual([a, b, a].map(String))
      expect(wire[encodeWant([a, b, a]).byteLength + 1]).toBe(0x04) // the type byte after the length varint
      expect(want).toMatchObject({ type: 'want' })
    }
  })

  it.each([
    ['with zero CIDs', () => Uint8Array.of(2, 0x04, 0), 'cancel list of 0 CIDs'],
    ['over the limit', () => concat(Uint8Array.of(2, 0x04), encodeVarint(MAX_WANTS_PER_REQUEST + 1)), `cancel list of ${MAX_WANTS_PER_REQUEST + 1} CIDs`],
    ['without a count', () => Uint8Array.of(1, 0x04), 'truncated cancel count'],
    ['shorter than its count', () => reframe(encodeCancel([sampleCid]), payload => { payload[1] = 2 }), 'truncated CID length'],
    ['with trailing bytes', () => reframe(encodeCancel([sampleCid]), payload => concat(payload, Uint8Array.of(0))), 'trailing bytes after cancel list']
  ])('rejects a cancel list %s with ProtocolError', (_label, make, message) => {
    expect(() => decodeAll(make())).toThrow(expect.objectContaining({ name: 'ProtocolError', message }))
  })

  it('refuses to encode an empty or over-long cancel list', async () => {
    const cid = await cidOf(Uint8Array.of(1))
    expect(() => encodeCancel([])).toThrow(RangeError)
    expect(() => encodeCancel(Array.from({ length: MAX_WANTS_PER_REQUEST + 1 }, () => cid))).toThrow(RangeError)
    expect(decodeAll(encodeCancel(Array.from({ length: MAX_WANTS_PER_REQUEST }, () => cid)))).toHaveLength(1)
  })

  it('MAX_REQUEST_FRAME_BYTES fits the largest want and cancel a client may send, and nothing larger', () => {
    const cids = Array.from({ length: MAX_WANTS_PER_REQUEST }, (_, i) => largestCid(i))
    for (const wire of [encodeWant(cids), encodeCancel(cids)]) {
      const [message] = decodeAll(wire, wire.byteLength, MAX_REQUEST_FRAME_BYTES)
      expect((message as { cids: CID[] }).cids).toHaveLength(MAX_WANTS_PER_REQUEST)
      expect(() => decodeAll(wire, wire.byteLength, MAX_REQUEST_FRAME_BYTES - 1)).toThrow(expect.objectContaining({ name: 'ProtocolError' }))
    }
  })

  it('a decoder with a request bound refuses a block frame before buffering it', async () => {
    const data = patternBytes(MAX_REQUEST_FRAME_BYTES)
    const wire = encodeBlock(await cidOf(data), data).subarray()
    const decoder = new FrameDecoder({ maxFrameBytes: MAX_REQUEST_FRAME_BYTES })
    expect(() => [...decoder.push(wire.subarray(0, 4))]).toThrow(expect.objectContaining({ name: 'ProtocolError', message: expect.stringContaining('exceeds') }))
  })

  it('each side refuses the other side\'s messages, and a server reads with the request frame bound', async () => {
    const from = async function * (...chunks: Uint8Array[]): AsyncGenerator<Uint8Array> { yield * chunks }
    const drain = async (messages: AsyncIterable<Message>): Promise<Message[]> => { const out: Message[] = []; for await (const m of messages) out.push(m); return out }
    const data = patternBytes(100)
    const cid = await cidOf(data)
    expect((await drain(decodeRequests(from(encodeWant([cid]), encodeCancel([cid]))))).map(m => m.type)).toEqual(['want', 'cancel'])
    expect((await drain(decodeResponses(from(encodeBlock(cid, data).subarray(), encodeDontHave(cid))))).map(m => m.type)).toEqual(['block', 'dont-have'])
    await expect(drain(decodeRequests(from(encodeBlock(cid, data).subarray())))).rejects.toMatchObject({ name: 'ProtocolError', message: 'a client sent block' })
    await expect(drain(decodeRequests(from(encodeDontHave(cid))))).rejects.toMatchObject({ name: 'ProtocolError', message: 'a client sent dont-have' })
    await expect(drain(decodeResponses(from(encodeWant([cid]))))).rejects.toMatchObject({ name: 'ProtocolError', message: 'a server sent want' })
    await expect(drain(decodeResponses(from(encodeCancel([cid]))))).rejects.toMatchObject({ name: 'ProtocolError', message: 'a server sent cancel' })
    const big = patternBytes(MAX_REQUEST_FRAME_BYTES)
    await expect(drain(decodeRequests(from(encodeBlock(await cidOf(big), big).subarray())))).rejects.toMatchObject({ name: 'ProtocolError', message: expect.stringContaining(`exceeds ${MAX_REQUEST_FRAME_BYTES}`) })
    expect(await drain(decodeResponses(from(encodeBlock(await cidOf(big), big).subarray())))).toHaveLength(1)
  })
})

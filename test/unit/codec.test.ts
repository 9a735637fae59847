import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { MAX_BLOCK_BYTES, MAX_FRAME_BYTES, MAX_WANTS_PER_REQUEST } from '../../app/core/constants.ts'
import { FrameDecoder, decodeFrames, encodeBlock, encodeDontHave, encodeVarint, encodeWant, type Message } from '../../app/core/exchange/codec.ts'
import { patternBytes } from '../helpers/bytes.ts'

async function cidOf (bytes: Uint8Array): Promise<CID> {
  return CID.createV1(raw.code, await sha256.digest(bytes))
}

function decodeAll (bytes: Uint8Array, pieceSize = bytes.byteLength): Message[] {
  const decoder = new FrameDecoder()
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
})

import { CID } from 'multiformats/cid'
import { Uint8ArrayList } from 'uint8arraylist'
import { MAX_BLOCK_BYTES, MAX_CID_BYTES, MAX_FRAME_BYTES, MAX_WANTS_PER_REQUEST } from '../constants.ts'
import { ProtocolError, StreamTruncatedError } from '../errors.ts'

/**
 * Wire format of /chiral/blocks/1.0.0. Every message is a frame:
 *
 *   frame    = varint(length) payload            length <= MAX_FRAME_BYTES
 *   payload  = type:u8 body
 *   WANT     = 0x01 varint(count) count*(varint(len) cid)   client -> server, 1..MAX_WANTS_PER_REQUEST
 *   BLOCK    = 0x02 varint(len) cid bytes                    server -> client, bytes <= MAX_BLOCK_BYTES
 *   DONT_HAVE= 0x03 varint(len) cid                          server -> client
 *
 * The server answers every wanted CID exactly once, in request order. Framing
 * means a cut stream is always detected: a clean end mid-frame, or with answers
 * still owed, is an error and never the end of a file.
 */
export const MessageType = { WANT: 0x01, BLOCK: 0x02, DONT_HAVE: 0x03 } as const

export type Message =
  | { type: 'want', cids: CID[] }
  | { type: 'block', cid: CID, bytes: Uint8Array }
  | { type: 'dont-have', cid: CID }

const MAX_VARINT_BYTES = 5 // enough for MAX_FRAME_BYTES; longer is malformed

export function encodeWant (cids: CID[]): Uint8Array {
  if (cids.length === 0 || cids.length > MAX_WANTS_PER_REQUEST) throw new RangeError(`a want list holds 1..${MAX_WANTS_PER_REQUEST} CIDs`)
  const parts: Uint8Array[] = [Uint8Array.of(MessageType.WANT), encodeVarint(cids.length)]
  for (const cid of cids) parts.push(encodeVarint(cid.bytes.byteLength), cid.bytes)
  return frame(new Uint8ArrayList(...parts)).subarray()
}

/** The block bytes are not copied: header and body go out as one list. */
export function encodeBlock (cid: CID, bytes: Uint8Array): Uint8ArrayList {
  return frame(new Uint8ArrayList(Uint8Array.of(MessageType.BLOCK), encodeVarint(cid.bytes.byteLength), cid.bytes, bytes))
}

export function encodeDontHave (cid: CID): Uint8Array {
  return frame(new Uint8ArrayList(Uint8Array.of(MessageType.DONT_HAVE), encodeVarint(cid.bytes.byteLength), cid.bytes)).subarray()
}

function frame (payload: Uint8ArrayList): Uint8ArrayList {
  payload.prepend(encodeVarint(payload.byteLength))
  return payload
}

/** Incremental frame reader: feed it chunks, it yields whole messages; bounds are checked before buffering. */
export class FrameDecoder {
  private readonly buffer: Uint8ArrayList

  constructor () {
    this.buffer = new Uint8ArrayList()
  }

  * push (chunk: Uint8Array | Uint8ArrayList): Generator<Message> {
    this.buffer.append(chunk)
    while (true) {
      const header = readVarint(this.buffer, 0)
      if (header == null) return
      const [length, headerBytes] = header
      if (length === 0) throw new ProtocolError('empty frame')
      if (length > MAX_FRAME_BYTES) throw new ProtocolError(`frame of ${length} bytes exceeds ${MAX_FRAME_BYTES}`)
      if (this.buffer.byteLength < headerBytes + length) return
      const payload = this.buffer.sublist(headerBytes, headerBytes + length)
      this.buffer.consume(headerBytes + length)
      yield decodePayload(payload)
    }
  }

  /** Call when the stream ends: leftover bytes mean a frame was cut. */
  end (): void {
    if (this.buffer.byteLength > 0) throw new StreamTruncatedError(`stream ended inside a frame (${this.buffer.byteLength} bytes pending)`)
  }
}

/** Read every message of a stream; a malformed or cut frame throws. */
export async function * decodeFrames (source: AsyncIterable<Uint8Array | Uint8ArrayList>): AsyncGenerator<Message> {
  const decoder = new FrameDecoder()
  for await (const chunk of source) yield * decoder.push(chunk)
  decoder.end()
}

function decodePayload (payload: Uint8ArrayList): Message {
  const type = payload.get(0)
  let offset = 1
  const readCid = (): CID => {
    const header = readVarint(payload, offset)
    if (header == null) throw new ProtocolError('truncated CID length')
    const [length, size] = header
    if (length === 0 || length > MAX_CID_BYTES) throw new ProtocolError(`CID of ${length} bytes`)
    offset += size
    if (offset + length > payload.byteLength) throw new ProtocolError('truncated CID')
    const bytes = payload.subarray(offset, offset + length)
    offset += length
    try {
      return CID.decode(bytes)
    } catch (err) {
      throw new ProtocolError(`malformed CID: ${(err as Error).message}`)
    }
  }
  switch (type) {
    case MessageType.WANT: {
      const header = readVarint(payload, offset)
      if (header == null) throw new ProtocolError('truncated want count')
      const [count, size] = header
      if (count === 0 || count > MAX_WANTS_PER_REQUEST) throw new ProtocolError(`want list of ${count} CIDs`)
      offset += size
      const cids: CID[] = []
      for (let i = 0; i < count; i++) cids.push(readCid())
      if (offset !== payload.byteLength) throw new ProtocolError('trailing bytes after want list')
      return { type: 'want', cids }
    }
    case MessageType.BLOCK: {
      const cid = readCid()
      const bytes = payload.subarray(offset)
      if (bytes.byteLength > MAX_BLOCK_BYTES) throw new ProtocolError(`block of ${bytes.byteLength} bytes exceeds ${MAX_BLOCK_BYTES}`)
      return { type: 'block', cid, bytes }
    }
    case MessageType.DONT_HAVE: {
      const cid = readCid()
      if (offset !== payload.byteLength) throw new ProtocolError('trailing bytes after dont-have')
      return { type: 'dont-have', cid }
    }
    default:
      throw new ProtocolError(`unknown message type ${type}`)
  }
}

export function encodeVarint (value: number): Uint8Array {
  const out: number[] = []
  while (value >= 0x80) {
    out.push((value & 0x7f) | 0x80)
    value >>>= 7
  }
  out.push(value)
  return Uint8Array.from(out)
}

/** [value, bytesUsed], or undefined when more bytes are needed. */
function readVarint (buf: Uint8ArrayList, offset: number): [number, number] | undefined {
  let value = 0
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    if (offset + i >= buf.byteLength) return undefined
    const byte = buf.get(offset + i)
    value += (byte & 0x7f) * 2 ** (7 * i)
    if ((byte & 0x80) === 0) return [value, i + 1]
  }
  throw new ProtocolError('varint too long')
}

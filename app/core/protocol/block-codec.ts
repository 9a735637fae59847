import { CID } from 'multiformats/cid'
import { Uint8ArrayList } from 'uint8arraylist'
import { MAX_BLOCK_BYTES, MAX_CID_BYTES, MAX_FRAME_BYTES, MAX_REQUEST_FRAME_BYTES, MAX_WANTS_PER_REQUEST } from '../constants.ts'
import { ProtocolError, StreamTruncatedError } from '../errors.ts'

/**
 * Wire format of the block protocol, /chiral/blocks/1.1.0 (BLOCK_PROTOCOL in
 * network/protocols.ts). Every message is a frame:
 *
 *   frame    = varint(length) payload            length <= MAX_FRAME_BYTES
 *   payload  = type:u8 body
 *   WANT     = 0x01 varint(count) count*(varint(len) cid)   client -> server, 1..MAX_WANTS_PER_REQUEST
 *   BLOCK    = 0x02 varint(len) cid bytes                    server -> client, bytes <= MAX_BLOCK_BYTES
 *   DONT_HAVE= 0x03 varint(len) cid                          server -> client
 *   CANCEL   = 0x04 varint(count) count*(varint(len) cid)   client -> server, 1..MAX_WANTS_PER_REQUEST
 *
 * The server answers every wanted CID exactly once (BLOCK or DONT_HAVE), in
 * request order, unless the client cancels it first. A CID may be wanted more
 * than once on a stream; each occurrence is answered.
 *
 * CANCEL (added in 1.1.0): for each CID in the list, the server removes the
 * first occurrence of that CID among the wants it has queued and not yet
 * started to answer, and sends nothing for it. A cancelled CID that is not
 * queued (already answered, being sent, or never wanted) is ignored, so a
 * client may still receive an answer for a CID it cancelled: the answer
 * crossed the cancel on the wire. Answers stay in request order among the wants
 * the server did not drop. A client that matches answers to requests in order
 * therefore keeps its cancelled wants in line, marked, and on each answer
 * drops the marked ones ahead of the match.
 *
 * Framing means a cut stream is always detected: a clean end mid-frame, or with
 * answers still owed, is an error and never the end of a file. Every bound is
 * checked before anything is buffered or decoded; a breach is a ProtocolError.
 */
export const MessageType = { WANT: 0x01, BLOCK: 0x02, DONT_HAVE: 0x03, CANCEL: 0x04 } as const

export type Message =
  | { type: 'want', cids: CID[] }
  | { type: 'block', cid: CID, bytes: Uint8Array }
  | { type: 'dont-have', cid: CID }
  | { type: 'cancel', cids: CID[] }

/** What a client sends. */
export type RequestMessage = Extract<Message, { type: 'want' | 'cancel' }>
/** What a server sends. */
export type ResponseMessage = Extract<Message, { type: 'block' | 'dont-have' }>

export interface FrameDecoderOptions {
  /** Frames longer than this are a ProtocolError. Default MAX_FRAME_BYTES; a server reads with MAX_REQUEST_FRAME_BYTES. */
  maxFrameBytes?: number
}

const MAX_VARINT_BYTES = 5 // enough for MAX_FRAME_BYTES; longer is malformed

export function encodeWant (cids: CID[]): Uint8Array {
  return encodeCidList(MessageType.WANT, cids, 'want')
}

/** Withdraw queued wants (see CANCEL above): 1..MAX_WANTS_PER_REQUEST CIDs. */
export function encodeCancel (cids: CID[]): Uint8Array {
  return encodeCidList(MessageType.CANCEL, cids, 'cancel')
}

function encodeCidList (type: number, cids: CID[], what: string): Uint8Array {
  if (cids.length === 0 || cids.length > MAX_WANTS_PER_REQUEST) throw new RangeError(`a ${what} list holds 1..${MAX_WANTS_PER_REQUEST} CIDs`)
  const parts: Uint8Array[] = [Uint8Array.of(type), encodeVarint(cids.length)]
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
  private readonly maxFrameBytes: number

  constructor (options: FrameDecoderOptions = {}) {
    this.buffer = new Uint8ArrayList()
    this.maxFrameBytes = options.maxFrameBytes ?? MAX_FRAME_BYTES
  }

  * push (chunk: Uint8Array | Uint8ArrayList): Generator<Message> {
    this.buffer.append(chunk)
    while (true) {
      const header = readVarint(this.buffer, 0)
      if (header == null) return
      const [length, headerBytes] = header
      if (length === 0) throw new ProtocolError('empty frame')
      if (length > this.maxFrameBytes) throw new ProtocolError(`frame of ${length} bytes exceeds ${this.maxFrameBytes}`)
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
export async function * decodeFrames (source: AsyncIterable<Uint8Array | Uint8ArrayList>, options: FrameDecoderOptions = {}): AsyncGenerator<Message> {
  const decoder = new FrameDecoder(options)
  for await (const chunk of source) yield * decoder.push(chunk)
  decoder.end()
}

/**
 * A server reads its client with this: frames bounded by MAX_REQUEST_FRAME_BYTES,
 * and a BLOCK or DONT_HAVE from a client is a ProtocolError.
 */
export async function * decodeRequests (source: AsyncIterable<Uint8Array | Uint8ArrayList>): AsyncGenerator<RequestMessage> {
  for await (const message of decodeFrames(source, { maxFrameBytes: MAX_REQUEST_FRAME_BYTES })) {
    if (message.type !== 'want' && message.type !== 'cancel') throw new ProtocolError(`a client sent ${message.type}`)
    yield message
  }
}

/** A client reads its server with this: a WANT or CANCEL from a server is a ProtocolError. */
export async function * decodeResponses (source: AsyncIterable<Uint8Array | Uint8ArrayList>): AsyncGenerator<ResponseMessage> {
  for await (const message of decodeFrames(source)) {
    if (message.type !== 'block' && message.type !== 'dont-have') throw new ProtocolError(`a server sent ${message.type}`)
    yield message
  }
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
  const readCidList = (what: string): CID[] => {
    const header = readVarint(payload, offset)
    if (header == null) throw new ProtocolError(`truncated ${what} count`)
    const [count, size] = header
    if (count === 0 || count > MAX_WANTS_PER_REQUEST) throw new ProtocolError(`${what} list of ${count} CIDs`)
    offset += size
    const cids: CID[] = []
    for (let i = 0; i < count; i++) cids.push(readCid())
    if (offset !== payload.byteLength) throw new ProtocolError(`trailing bytes after ${what} list`)
    return cids
  }
  switch (type) {
    case MessageType.WANT:
      return { type: 'want', cids: readCidList('want') }
    case MessageType.CANCEL:
      return { type: 'cancel', cids: readCidList('cancel') }
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

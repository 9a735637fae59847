import { CID } from 'multiformats/cid'
import { Uint8ArrayList } from 'uint8arraylist'
import { MAX_BLOCK_BYTES, MAX_CID_BYTES, MAX_FRAME_BYTES, MAX_REQUEST_FRAME_BYTES, MAX_WANTS_PER_REQUEST } from '../constants.ts'
import { ProtocolError, StreamTruncatedError } from '../errors.ts'

/**
 * Wire format of the block protocol, /chiral/blocks/1.2.0 (BLOCK_PROTOCOL in
 * network/protocols.ts). Every message is a frame:
 *
 *   frame    = varint(length) payload            length <= MAX_FRAME_BYTES
 *   payload  = type:u8 body
 *   WANT     = 0x01 varint(count) count*(varint(len) cid)   client -> server, 1..MAX_WANTS_PER_REQUEST
 *   BLOCK    = 0x02 varint(len) cid bytes                    server -> client, bytes <= MAX_BLOCK_BYTES
 *   DONT_HAVE= 0x03 varint(len) cid                          server -> client
 *   CANCEL   = 0x04 varint(count) count*(varint(len) cid)   client -> server, 1..MAX_WANTS_PER_REQUEST
 *   CHANNEL  = 0x05 varint(id)                               client -> server, first frame only; server -> client, first frame only
 *   NO_CHANNEL = 0x06                                        server -> client, first frame only
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
 * CHANNEL (added in 1.2.0): a client on a direct WebRTC connection may open
 * its stream with CHANNEL(id), having created a negotiated RTCDataChannel with
 * that SCTP stream id (network/block-channel.ts). The server's first frame then
 * answers it: CHANNEL(id) when it created its end too, and every later answer
 * (BLOCK, DONT_HAVE) goes on that channel as a stream of the same frames, cut
 * into messages the channel can carry; or NO_CHANNEL, and the answers follow
 * on the stream. Requests stay on the stream either way. The server closes the
 * channel where it would close its end of the stream; the client treats the
 * channel's close as that end.
 *
 * Framing means a cut stream is always detected: a clean end mid-frame, or with
 * answers still owed, is an error and never the end of a file. Every bound is
 * checked before anything is buffered or decoded; a breach is a ProtocolError.
 */
export const MessageType = { WANT: 0x01, BLOCK: 0x02, DONT_HAVE: 0x03, CANCEL: 0x04, CHANNEL: 0x05, NO_CHANNEL: 0x06 } as const

export type Message =
  | { type: 'want', cids: CID[] }
  | { type: 'block', cid: CID, bytes: Uint8Array }
  | { type: 'dont-have', cid: CID }
  | { type: 'cancel', cids: CID[] }
  | { type: 'channel', id: number }
  | { type: 'no-channel' }

/** What a client sends. */
export type RequestMessage = Extract<Message, { type: 'want' | 'cancel' }>
/** What a server sends. */
export type ResponseMessage = Extract<Message, { type: 'block' | 'dont-have' }>
/** The channel handshake's two frames (1.2.0). */
export type ChannelMessage = Extract<Message, { type: 'channel' | 'no-channel' }>

/** Largest SCTP stream id (RFC 8832: 65534). */
const MAX_CHANNEL_ID = 65_534

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

/** Offer (client) or accept (server) a block channel with this SCTP stream id. */
export function encodeChannel (id: number): Uint8Array {
  if (!Number.isInteger(id) || id < 0 || id > MAX_CHANNEL_ID) throw new RangeError(`a channel id is 0..${MAX_CHANNEL_ID}`)
  return frame(new Uint8ArrayList(Uint8Array.of(MessageType.CHANNEL), encodeVarint(id))).subarray()
}

/** The server will answer on the stream. */
export function encodeNoChannel (): Uint8Array {
  return frame(new Uint8ArrayList(Uint8Array.of(MessageType.NO_CHANNEL))).subarray()
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

type Source = AsyncIterable<Uint8Array | Uint8ArrayList>

/**
 * A server reads its client with this: frames bounded by MAX_REQUEST_FRAME_BYTES,
 * and a BLOCK or DONT_HAVE from a client is a ProtocolError.
 */
export async function * decodeRequests (source: Source): AsyncGenerator<RequestMessage> {
  yield * decodeOnly(source, ['want', 'cancel'], 'client', MAX_REQUEST_FRAME_BYTES)
}

/** The same, for 1.2.0: a CHANNEL offer may come too (the server checks it comes first). */
export async function * decodeRequestsOrOffer (source: Source): AsyncGenerator<RequestMessage | Extract<Message, { type: 'channel' }>> {
  yield * decodeOnly(source, ['want', 'cancel', 'channel'], 'client', MAX_REQUEST_FRAME_BYTES)
}

/** A client reads its server with this: a WANT or CANCEL from a server is a ProtocolError. */
export async function * decodeResponses (source: Source): AsyncGenerator<ResponseMessage> {
  yield * decodeOnly(source, ['block', 'dont-have'], 'server')
}

/** The same, for a client that offered a channel: the reply comes too (the client checks it comes first). */
export async function * decodeResponsesOrReply (source: Source): AsyncGenerator<ResponseMessage | ChannelMessage> {
  yield * decodeOnly(source, ['block', 'dont-have', 'channel', 'no-channel'], 'server')
}

async function * decodeOnly<T extends Message['type']> (source: Source, types: T[], from: string, maxFrameBytes?: number): AsyncGenerator<Extract<Message, { type: T }>> {
  for await (const message of decodeFrames(source, { maxFrameBytes })) {
    if (!(types as string[]).includes(message.type)) throw new ProtocolError(`a ${from} sent ${message.type}`)
    yield message as Extract<Message, { type: T }>
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
    case MessageType.CHANNEL: {
      const header = readVarint(payload, offset)
      if (header == null || offset + header[1] !== payload.byteLength) throw new ProtocolError('malformed channel frame')
      if (header[0] > MAX_CHANNEL_ID) throw new ProtocolError(`channel id ${header[0]}`)
      return { type: 'channel', id: header[0] }
    }
    case MessageType.NO_CHANNEL:
      if (payload.byteLength !== 1) throw new ProtocolError('trailing bytes after no-channel')
      return { type: 'no-channel' }
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

import { BLOCK_CHANNEL_HIGH_WATER_BYTES, BLOCK_CHANNEL_LOW_WATER_BYTES } from '../constants.ts'
import { AbortError, StreamTruncatedError } from '../errors.ts'
import type { DataChannel } from './block-channel.ts'
import type { Uint8ArrayList } from 'uint8arraylist'

/**
 * Frames onto a data channel: each cut into messages of at most
 * `maxMessageBytes`, small parts (a frame's header) joined into one, large ones
 * (a block) sent as they are without a copy; so a 256 KiB block frame leaves
 * as two messages, not the stream layer's four. The sender waits while the
 * browser holds more than the high-water mark unsent, until it is down to the
 * low-water mark, so the pipe never runs dry during a drain.
 */
export class ChannelWriter {
  private readonly channel: DataChannel
  private readonly maxMessageBytes: number

  constructor (channel: DataChannel, maxMessageBytes: number) {
    this.channel = channel
    this.maxMessageBytes = maxMessageBytes
    channel.bufferedAmountLowThreshold = BLOCK_CHANNEL_LOW_WATER_BYTES
  }

  /**
   * Send one frame; false when the caller should await `drained` before the next.
   * @throws StreamTruncatedError once the channel is closing or closed
   */
  send (frame: Uint8Array | Uint8ArrayList): boolean {
    if (this.channel.readyState !== 'open') throw new StreamTruncatedError('the block channel closed')
    for (const message of messages(frame, this.maxMessageBytes)) this.channel.send(message as Uint8Array<ArrayBuffer>) // never a SharedArrayBuffer here
    return this.channel.bufferedAmount <= BLOCK_CHANNEL_HIGH_WATER_BYTES
  }

  /** Close: the browser still sends what it holds before the channel's stream is reset. */
  close (): void {
    this.channel.close()
  }

  /** Resolves once the browser holds no more than the low-water mark; rejects when the channel closes or `signal` aborts. */
  async drained (signal: AbortSignal): Promise<void> {
    signal.throwIfAborted()
    const channel = this.channel
    if (channel.bufferedAmount <= BLOCK_CHANNEL_LOW_WATER_BYTES) return
    if (channel.readyState !== 'open') throw new StreamTruncatedError('the block channel closed while sending')
    await new Promise<void>((resolve, reject) => {
      const cleanup = (): void => {
        channel.removeEventListener('bufferedamountlow', onLow)
        channel.removeEventListener('close', onClose)
        signal.removeEventListener('abort', onAbort)
      }
      const onLow = (): void => { cleanup(); resolve() }
      const onClose = (): void => { cleanup(); reject(new StreamTruncatedError('the block channel closed while sending')) }
      const onAbort = (): void => { cleanup(); reject(signal.reason ?? new AbortError()) }
      channel.addEventListener('bufferedamountlow', onLow)
      channel.addEventListener('close', onClose)
      signal.addEventListener('abort', onAbort)
    })
  }
}

/** A frame's parts as channel messages: consecutive small parts joined, parts over `max` cut. */
export function * messages (frame: Uint8Array | Uint8ArrayList, max: number): Generator<Uint8Array> {
  const parts: Iterable<Uint8Array> = frame instanceof Uint8Array ? [frame] : frame
  let joined: Uint8Array[] = []
  let joinedBytes = 0
  const flush = function * (): Generator<Uint8Array> {
    if (joined.length === 1) yield joined[0] as Uint8Array
    else if (joined.length > 1) {
      const out = new Uint8Array(joinedBytes)
      let offset = 0
      for (const part of joined) { out.set(part, offset); offset += part.byteLength }
      yield out
    }
    joined = []
    joinedBytes = 0
  }
  for (const part of parts) {
    if (part.byteLength === 0) continue
    if (joinedBytes + part.byteLength <= max) {
      joined.push(part)
      joinedBytes += part.byteLength
      continue
    }
    yield * flush()
    if (part.byteLength <= max) {
      joined.push(part)
      joinedBytes = part.byteLength
      continue
    }
    for (let offset = 0; offset < part.byteLength; offset += max) yield part.subarray(offset, Math.min(part.byteLength, offset + max))
  }
  yield * flush()
}

import { BLOCK_CHANNEL_MAX_UNREAD_BYTES } from '../constants.ts'
import { ProtocolError } from '../errors.ts'
import type { DataChannel } from './block-channel.ts'

/**
 * A data channel's messages as a byte source, from the moment this is made
 * (so nothing that arrives before the first read is lost) until the channel
 * closes. A channel cannot be paused, so bytes received and not yet read are
 * bounded: past `maxUnread` the peer is sending what nobody asked for, and
 * reading throws a ProtocolError. A text message is one too.
 */
export class ChannelReader implements AsyncIterable<Uint8Array> {
  private readonly channel: DataChannel
  private readonly maxUnread: number
  private readonly queue: Uint8Array[] = []
  private unread = 0
  private ended = false
  private error: Error | undefined
  private wake: (() => void) | undefined
  private readonly onMessage = (evt: MessageEvent): void => { this.received(evt.data) }
  private readonly onClose = (): void => { this.ended = true; this.notify() }

  constructor (channel: DataChannel, maxUnread = BLOCK_CHANNEL_MAX_UNREAD_BYTES) {
    this.channel = channel
    this.maxUnread = maxUnread
    channel.addEventListener('message', this.onMessage)
    channel.addEventListener('close', this.onClose)
    if (channel.readyState === 'closed') this.ended = true
  }

  async * [Symbol.asyncIterator] (): AsyncGenerator<Uint8Array> {
    try {
      while (true) {
        if (this.error != null) throw this.error
        const next = this.queue.shift()
        if (next != null) {
          this.unread -= next.byteLength
          yield next
          continue
        }
        if (this.ended) return
        await new Promise<void>(resolve => { this.wake = resolve })
      }
    } finally {
      this.stop()
    }
  }

  private received (data: unknown): void {
    if (this.error != null || this.ended) return
    if (!(data instanceof ArrayBuffer)) {
      this.failWith(new ProtocolError('a block channel carried a text message'))
      return
    }
    this.unread += data.byteLength
    if (this.unread > this.maxUnread) {
      this.failWith(new ProtocolError(`a block channel sent ${this.unread} bytes nobody read (at most ${this.maxUnread})`))
      return
    }
    this.queue.push(new Uint8Array(data))
    this.notify()
  }

  private failWith (err: Error): void {
    this.error = err
    this.queue.length = 0
    this.unread = 0
    this.stop()
    this.notify()
  }

  private stop (): void {
    this.channel.removeEventListener('message', this.onMessage)
    this.channel.removeEventListener('close', this.onClose)
  }

  private notify (): void {
    const wake = this.wake
    this.wake = undefined
    wake?.()
  }
}

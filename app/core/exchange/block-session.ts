import { logger } from '@libp2p/logger'
import { BLOCK_TIMEOUT_MS, MAX_WANTS_PER_REQUEST } from '../constants.ts'
import { ProtocolError, StreamTruncatedError, TimeoutError } from '../errors.ts'
import { decodeResponses, encodeWant } from '../protocol/block-codec.ts'
import { sendWithBackpressure } from './stream-writer.ts'
import type { Stream } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

const log = logger('chiral:exchange:session')

export interface BlockSessionEvents {
  /** Unverified bytes the peer claims are `cid`: the caller verifies before storing. */
  onBlock(cid: CID, bytes: Uint8Array): void
  onDontHave(cid: CID): void
  /** The session is over (error) or closed cleanly (undefined); outstanding wants are returned. */
  onClose(err: Error | undefined, outstanding: CID[]): void
}

/**
 * The client end of one block stream to one peer: pipelined want lists and a
 * FIFO of answers owed. The peer must answer in request order; anything else,
 * silence for BLOCK_TIMEOUT_MS, or an early end is an error.
 */
export class BlockSession {
  readonly peer: string
  private readonly stream: Stream
  private readonly events: BlockSessionEvents
  private readonly owed: CID[] = []
  private closed = false
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor (peer: string, stream: Stream, events: BlockSessionEvents) {
    this.peer = peer
    this.stream = stream
    this.events = events
    void this.read()
  }

  /** Wants sent and not yet answered. */
  get inFlight (): number {
    return this.owed.length
  }

  get isOpen (): boolean {
    return !this.closed
  }

  async want (cids: CID[]): Promise<void> {
    if (this.closed) throw new StreamTruncatedError('session closed')
    for (let i = 0; i < cids.length; i += MAX_WANTS_PER_REQUEST) {
      const batch = cids.slice(i, i + MAX_WANTS_PER_REQUEST)
      this.owed.push(...batch)
      this.armTimer()
      try {
        await sendWithBackpressure(this.stream, encodeWant(batch))
      } catch (err) {
        this.fail(err as Error)
        return
      }
    }
  }

  /** Stop: the stream is closed politely when nothing is owed, reset otherwise. */
  close (err?: Error): void {
    if (this.closed) return
    if (err != null || this.owed.length > 0) {
      this.fail(err ?? new StreamTruncatedError('session abandoned'))
      return
    }
    this.finish(undefined)
    this.stream.close().catch(e => { this.stream.abort(e as Error) })
  }

  private async read (): Promise<void> {
    try {
      for await (const message of decodeResponses(this.stream)) { // a WANT or CANCEL from the server is a ProtocolError there
        const expected = this.owed.shift()
        if (expected == null || !expected.equals(message.cid)) {
          throw new ProtocolError(`answer for ${message.cid} does not match the request ${expected ?? '(none)'}`)
        }
        this.armTimer()
        if (message.type === 'block') this.events.onBlock(message.cid, message.bytes)
        else this.events.onDontHave(message.cid)
      }
      if (this.owed.length > 0) throw new StreamTruncatedError(`stream ended with ${this.owed.length} blocks still owed`)
      this.finish(undefined)
    } catch (err) {
      this.fail(err as Error)
    }
  }

  private armTimer (): void {
    clearTimeout(this.timer)
    if (this.owed.length === 0) return
    this.timer = setTimeout(() => { this.fail(new TimeoutError(`Waiting for a block from ${this.peer}`, BLOCK_TIMEOUT_MS)) }, BLOCK_TIMEOUT_MS)
  }

  private fail (err: Error): void {
    if (this.closed) return
    log('session with %s failed: %s', this.peer, err.message)
    this.stream.abort(err)
    this.finish(err)
  }

  private finish (err: Error | undefined): void {
    if (this.closed) return
    this.closed = true
    clearTimeout(this.timer)
    const outstanding = this.owed.splice(0)
    this.events.onClose(err, outstanding)
  }
}

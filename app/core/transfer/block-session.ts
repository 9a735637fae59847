import { logger } from '@libp2p/logger'
import { BLOCK_TIMEOUT_MS, MAX_WANTS_PER_REQUEST } from '../constants.ts'
import { ProtocolError, StreamTruncatedError, TimeoutError } from '../errors.ts'
import { decodeResponses, encodeCancel, encodeWant } from '../protocol/block-codec.ts'
import { sendWithBackpressure } from '../util/stream-writer.ts'
import type { Stream } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

const log = logger('chiral:transfer:session')

export interface BlockSessionEvents {
  /** Unverified bytes the peer claims are `cid`: the caller verifies before storing. */
  onBlock(cid: CID, bytes: Uint8Array): void
  onDontHave(cid: CID): void
  /** The session is over (error) or closed cleanly (undefined); wants still owed (not cancelled) are returned. */
  onClose(err: Error | undefined, outstanding: CID[]): void
}

interface Owed {
  cid: CID
  cancelled: boolean
}

/**
 * The client end of one block stream to one peer: pipelined want lists and a
 * FIFO of answers owed. The peer answers in request order; a cancelled want
 * may be answered (the cancel crossed the answer) or dropped, and nothing else
 * may be out of order. Silence for `timeoutMs` while something is owed, or an
 * early end, is an error.
 */
export class BlockSession {
  readonly peer: string
  private readonly stream: Stream
  private readonly events: BlockSessionEvents
  private readonly timeoutMs: number
  private readonly owed: Owed[] = []
  private live = 0
  private closed = false
  /** Ended by an error: nothing more goes out (a clean close still sends what was queued). */
  private failed = false
  private timer: ReturnType<typeof setTimeout> | undefined
  /** Frames go out one call after another: a want list split over frames must not interleave with the next one. */
  private sending: Promise<void> = Promise.resolve()
  /** When the oldest live want became the next answer due (for stall detection). */
  private headSince = 0

  constructor (peer: string, stream: Stream, events: BlockSessionEvents, timeoutMs = BLOCK_TIMEOUT_MS) {
    this.peer = peer
    this.stream = stream
    this.events = events
    this.timeoutMs = timeoutMs
    void this.read()
  }

  /** Wants sent and neither answered nor cancelled. */
  get inFlight (): number {
    return this.live
  }

  get isOpen (): boolean {
    return !this.closed
  }

  /** How long the peer has owed its next answer, in ms (0 when nothing is owed). */
  waitingFor (now = performance.now()): number {
    return this.live === 0 ? 0 : now - this.headSince
  }

  /** How many live wants are owed before `cid` (0: it is the next answer due); -1 when it is not owed. */
  positionOf (cid: CID): number {
    let position = 0
    for (const entry of this.owed) {
      if (entry.cancelled) continue
      if (entry.cid.equals(cid)) return position
      position++
    }
    return -1
  }

  want (cids: CID[]): void {
    if (this.closed) return
    if (this.live === 0) this.headSince = performance.now()
    for (const cid of cids) this.owed.push({ cid, cancelled: false })
    this.live += cids.length
    this.armTimer()
    this.enqueue(cids, encodeWant)
  }

  /** Withdraw wants another peer has answered; the peer drops them if it has not sent them yet. */
  cancel (cids: CID[]): void {
    if (this.closed) return
    const withdrawn: CID[] = []
    for (const cid of cids) {
      const entry = this.owed.find(o => !o.cancelled && o.cid.equals(cid))
      if (entry == null) continue
      entry.cancelled = true
      this.live--
      withdrawn.push(cid)
    }
    this.armTimer()
    if (withdrawn.length > 0) this.enqueue(withdrawn, encodeCancel)
  }

  /** Stop: the stream is closed politely when nothing is owed, reset otherwise. */
  close (err?: Error): void {
    if (this.closed) return
    if (err != null || this.live > 0) {
      this.fail(err ?? new StreamTruncatedError('session abandoned'))
      return
    }
    this.finish(undefined)
    // cancels queued just before go out first: on a clean close the sharer answers every want it still holds
    this.sending = this.sending.then(async () => this.stream.close()).catch(e => { this.stream.abort(e as Error) })
  }

  private enqueue (cids: CID[], encode: (batch: CID[]) => Uint8Array): void {
    this.sending = this.sending.then(async () => this.send(cids, encode))
  }

  private async send (cids: CID[], encode: (batch: CID[]) => Uint8Array): Promise<void> {
    try {
      for (let i = 0; i < cids.length && !this.failed; i += MAX_WANTS_PER_REQUEST) {
        await sendWithBackpressure(this.stream, encode(cids.slice(i, i + MAX_WANTS_PER_REQUEST)))
      }
    } catch (err) {
      this.fail(err as Error)
    }
  }

  private async read (): Promise<void> {
    try {
      for await (const message of decodeResponses(this.stream)) { // a want or cancel from the sharer is a ProtocolError
        const entry = this.answered(message.cid)
        if (entry.cancelled) continue // a late copy of something another peer already sent
        this.live--
        this.headSince = performance.now()
        this.armTimer()
        if (message.type === 'block') this.events.onBlock(message.cid, message.bytes)
        else this.events.onDontHave(message.cid)
      }
      if (this.live > 0) throw new StreamTruncatedError(`stream ended with ${this.live} blocks still owed`)
      this.finish(undefined) // the sharer closed an idle stream: close ours too
      this.stream.close().catch(e => { this.stream.abort(e as Error) })
    } catch (err) {
      this.fail(err as Error)
    }
  }

  /** The owed entry an answer settles: cancelled wants the server dropped are skipped, anything else out of order is a protocol error (and stays owed). */
  private answered (cid: CID): Owed {
    let skip = 0
    while (this.owed[skip]?.cancelled === true && !(this.owed[skip] as Owed).cid.equals(cid)) skip++
    const head = this.owed[skip]
    if (head == null) throw new ProtocolError(`answer for ${cid} was never requested`)
    if (!head.cid.equals(cid)) throw new ProtocolError(`answer for ${cid} does not match the request ${head.cid}`)
    if (head.cancelled) {
      // the same CID wanted again after a CANCEL: the sharer may have dropped the cancelled one, so a live entry
      // for it further along this run of cancelled entries takes the answer (the bytes are the same either way)
      for (let i = skip + 1; i < this.owed.length; i++) {
        const entry = this.owed[i] as Owed
        if (!entry.cancelled && entry.cid.equals(cid)) {
          this.owed.splice(i, 1)
          this.owed.splice(0, skip) // the cancelled entry for cid stays: a crossed copy of it may still come
          return entry
        }
        if (!entry.cancelled) break
      }
    }
    this.owed.splice(0, skip + 1)
    return head
  }

  private armTimer (): void {
    clearTimeout(this.timer)
    if (this.live === 0) return
    this.timer = setTimeout(() => { this.fail(new TimeoutError(`Waiting for a block from ${this.peer}`, this.timeoutMs)) }, this.timeoutMs)
  }

  private fail (err: Error): void {
    if (this.closed) return
    this.failed = true
    log('session with %s failed: %s', this.peer, err.message)
    this.stream.abort(err)
    this.finish(err)
  }

  private finish (err: Error | undefined): void {
    if (this.closed) return
    this.closed = true
    clearTimeout(this.timer)
    const outstanding = this.owed.splice(0).filter(o => !o.cancelled).map(o => o.cid)
    this.live = 0
    this.events.onClose(err, outstanding)
  }
}

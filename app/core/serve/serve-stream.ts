import { logger } from '@libp2p/logger'
import { SERVE_CLOSE_GRACE_MS, SERVE_READ_AHEAD_BLOCKS, SERVE_STREAM_IDLE_MS, SERVE_WRITE_STALL_MS } from '../constants.ts'
import { ProtocolError, StreamTruncatedError, TimeoutError } from '../errors.ts'
import { decodeRequests, encodeBlock, encodeDontHave } from '../protocol/block-codec.ts'
import { timerSignal } from '../util/timer-signal.ts'
import { waitForDrain } from '../util/wait-for-drain.ts'
import { ReadAhead } from './read-ahead.ts'
import { WantQueue } from './want-queue.ts'
import type { ServedStream } from './serve-limits.ts'
import type { UploadLimiter } from './upload-limiter.ts'
import type { BlockStore } from '../storage/block-store.ts'
import type { Stream, StreamCloseEvent } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'
import type { Uint8ArrayList } from 'uint8arraylist'

const log = logger('chiral:serve')

/** Deadlines of a served stream; tests shorten them. */
export interface ServeTimeouts {
  /** Nothing queued and no message from the client for this long: close. Default SERVE_STREAM_IDLE_MS. */
  idleMs: number
  /** After an idle close, the client's own close must come within this, or the stream is reset. Default SERVE_CLOSE_GRACE_MS. */
  closeGraceMs: number
  /** A send (or the final close) that cannot drain for this long aborts the stream. Default SERVE_WRITE_STALL_MS. */
  writeStallMs: number
}

export const DEFAULT_SERVE_TIMEOUTS: Readonly<ServeTimeouts> = {
  idleMs: SERVE_STREAM_IDLE_MS,
  closeGraceMs: SERVE_CLOSE_GRACE_MS,
  writeStallMs: SERVE_WRITE_STALL_MS
}

export interface ServeStreamOptions {
  store: Pick<BlockStore, 'get'>
  uploadLimiter?: UploadLimiter
  timeouts: ServeTimeouts
  onServed?(cid: CID, peer: string, bytes: number): void
}

type Outcome = 'drained' | 'idle' | 'failed'

/**
 * Serve one inbound block stream until it ends; never throws. Wants are
 * answered one at a time, in order, with the block or DONT_HAVE; a CANCEL
 * drops queued wants. The stream ends:
 * - cleanly when the client closes its end: what is queued is answered, then ours is closed;
 * - after `idleMs` with nothing queued and no message: ours is closed, and the
 *   stream reset if the client has not closed its end `closeGraceMs` later;
 * - with a reset on a protocol error or a bound passed (counted by `served`), a
 *   send stalled for `writeStallMs`, a store failure, or the client's reset.
 * The caller releases `served` afterwards.
 */
export async function serveStream (stream: Stream, served: ServedStream, options: ServeStreamOptions): Promise<void> {
  const { peer } = served
  const { timeouts } = options
  const queue = new WantQueue()
  const ended = new AbortController() // the stream is gone: every wait on it ends
  const onClose = (evt: StreamCloseEvent): void => { ended.abort(evt.error ?? new StreamTruncatedError('the block stream closed')) }
  stream.addEventListener('close', onClose)

  let reading = true
  let closedForIdle = false
  let failure: Error | undefined
  let ring: (() => void) | undefined
  const wake = (): void => { const r = ring; ring = undefined; r?.() }

  const fail = (err: Error): void => {
    if (failure != null) return
    failure = err
    served.removeWants(queue.clear())
    log('block stream from %s ends with a reset: %s', peer, err.message)
    stream.abort(err) // a no-op when the stream is already closed or reset
    wake()
  }

  const read = async (): Promise<void> => {
    try {
      for await (const message of decodeRequests(stream)) {
        if (message.type === 'want') {
          // it crossed our close on the wire: it can no longer be answered
          if (closedForIdle) throw new ProtocolError('a want arrived after the idle stream was closed')
          served.addWants(message.cids.length) // throws past a bound
          queue.push(message.cids)
        } else {
          served.removeWants(queue.cancel(message.cids))
        }
        wake() // also restarts the idle countdown: a message is activity
      }
    } catch (err) {
      fail(err as Error)
    } finally {
      reading = false
      wake()
    }
  }

  /** True when `ms` pass without a wake. */
  const idleFor = async (ms: number): Promise<boolean> => new Promise(resolve => {
    const timer = setTimeout(() => { ring = undefined; resolve(true) }, ms)
    ring = () => { clearTimeout(timer); resolve(false) }
  })

  /** Send, then wait for the transport to drain: within writeStallMs, or the stream is aborted. */
  const send = async (data: Uint8Array | Uint8ArrayList): Promise<void> => {
    if (stream.send(data)) return
    const stall = timerSignal(timeouts.writeStallMs, () => new TimeoutError(`Sending to ${peer}, which stopped reading,`, timeouts.writeStallMs))
    try {
      await waitForDrain(stream, AbortSignal.any([ended.signal, stall.signal]))
    } finally {
      stall.clear()
    }
  }

  const reads = new ReadAhead(async cid => {
    try {
      return await options.store.get(cid, { signal: ended.signal })
    } catch (err) {
      if ((err as Error).name !== 'BlockNotFoundError') throw err
      return undefined
    }
  })

  const answer = async (cid: CID): Promise<void> => {
    const bytes = await reads.take(cid, ended.signal)
    ended.signal.throwIfAborted()
    if (bytes == null) {
      await send(encodeDontHave(cid))
      return
    }
    const frame = encodeBlock(cid, bytes)
    await options.uploadLimiter?.take(frame.byteLength, ended.signal)
    await send(frame)
    try {
      options.onServed?.(cid, peer, bytes.byteLength)
    } catch (err) {
      log.error('onServed threw: %e', err)
    }
  }

  const answerAll = async (): Promise<Outcome> => {
    while (failure == null) {
      const cid = queue.shift()
      if (cid == null) {
        if (!reading) return 'drained'
        if (await idleFor(timeouts.idleMs)) return 'idle'
        continue
      }
      reads.prefetch([cid, ...queue.peek(SERVE_READ_AHEAD_BLOCKS)])
      await answer(cid)
      served.removeWants(1)
    }
    return 'failed'
  }

  const closeOurEnd = async (): Promise<void> => {
    const stall = timerSignal(timeouts.writeStallMs, () => new TimeoutError(`Closing the block stream to ${peer}, which stopped reading,`, timeouts.writeStallMs))
    try {
      await stream.close({ signal: stall.signal })
    } finally {
      stall.clear()
    }
  }

  /** True if the reader ends (the client closed its end) within `ms`. */
  const clientClosesWithin = async (reader: Promise<void>, ms: number): Promise<boolean> => {
    let timer: ReturnType<typeof setTimeout> | undefined
    try {
      return await Promise.race([reader.then(() => true), new Promise<boolean>(resolve => { timer = setTimeout(resolve, ms, false) })])
    } finally {
      clearTimeout(timer)
    }
  }

  const reader = read()
  try {
    const outcome = await answerAll().catch((err: Error): Outcome => { fail(err); return 'failed' })
    if (outcome === 'idle') {
      log('closing idle block stream from %s', peer)
      closedForIdle = true
    }
    if (outcome !== 'failed') await closeOurEnd().catch(fail)
    if (outcome === 'idle' && failure == null && !await clientClosesWithin(reader, timeouts.closeGraceMs)) {
      fail(new TimeoutError(`${peer} closing an idle block stream`, timeouts.closeGraceMs))
    }
    await reader
  } finally {
    stream.removeEventListener('close', onClose)
  }
}

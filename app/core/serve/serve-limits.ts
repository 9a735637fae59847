import { MAX_PENDING_WANTS_PER_PEER, MAX_PENDING_WANTS_PER_STREAM, MAX_PENDING_WANTS_TOTAL, MAX_SERVED_STREAMS_PER_PEER, MAX_SERVED_STREAMS_TOTAL } from '../constants.ts'
import { ProtocolError, ServeLimitError } from '../errors.ts'

export interface ServeLimitsInit {
  /** Default MAX_SERVED_STREAMS_PER_PEER. */
  maxStreamsPerPeer?: number
  /** Default MAX_SERVED_STREAMS_TOTAL. */
  maxStreamsTotal?: number
  /** Default MAX_PENDING_WANTS_PER_STREAM. */
  maxWantsPerStream?: number
  /** Default MAX_PENDING_WANTS_PER_PEER. */
  maxWantsPerPeer?: number
  /** Default MAX_PENDING_WANTS_TOTAL. */
  maxWantsTotal?: number
}

export interface ServeStats {
  /** Block streams being served. */
  streams: number
  /** Wants received and not yet answered or cancelled, all streams together. */
  wants: number
  /** Remote peers with at least one stream. */
  peers: number
}

/**
 * One served stream's share of the counts. `release` gives everything back
 * and is safe to call more than once: call it when the stream ends, however
 * it ends.
 */
export interface ServedStream {
  readonly peer: string
  /** Wants this stream holds. */
  readonly wants: number
  /**
   * Count `count` more wants, or throw and count none: ProtocolError past the
   * per-stream or per-peer bound (the client broke them), ServeLimitError past
   * the total (we are busy).
   */
  addWants(count: number): void
  /** Wants answered or cancelled. */
  removeWants(count: number): void
  release(): void
}

interface PeerCount { streams: number, wants: number }

/**
 * The sharer's accounting: streams and queued wants per remote peer (over all
 * its connections, keyed by peer id) and in total. One per peer process, shared
 * by every stream the block handler serves.
 */
export class ServeLimits {
  private readonly bounds: Required<ServeLimitsInit>
  private readonly peers = new Map<string, PeerCount>()
  private streams = 0
  private wants = 0

  constructor (init: ServeLimitsInit = {}) {
    this.bounds = {
      maxStreamsPerPeer: init.maxStreamsPerPeer ?? MAX_SERVED_STREAMS_PER_PEER,
      maxStreamsTotal: init.maxStreamsTotal ?? MAX_SERVED_STREAMS_TOTAL,
      maxWantsPerStream: init.maxWantsPerStream ?? MAX_PENDING_WANTS_PER_STREAM,
      maxWantsPerPeer: init.maxWantsPerPeer ?? MAX_PENDING_WANTS_PER_PEER,
      maxWantsTotal: init.maxWantsTotal ?? MAX_PENDING_WANTS_TOTAL
    }
  }

  /** Count a new stream from `peer`, or throw ServeLimitError (counting nothing) when a stream bound is reached. */
  openStream (peer: string): ServedStream {
    const count = this.peers.get(peer) ?? { streams: 0, wants: 0 }
    if (count.streams >= this.bounds.maxStreamsPerPeer) throw new ServeLimitError(`peer ${peer} already holds ${count.streams} block streams (at most ${this.bounds.maxStreamsPerPeer})`)
    if (this.streams >= this.bounds.maxStreamsTotal) throw new ServeLimitError(`already serving ${this.streams} block streams (at most ${this.bounds.maxStreamsTotal})`)
    count.streams++
    this.streams++
    this.peers.set(peer, count)
    return this.lease(peer, count)
  }

  stats (): ServeStats {
    return { streams: this.streams, wants: this.wants, peers: this.peers.size }
  }

  /** Streams and wants of one remote peer (zeros when it has none). */
  peerStats (peer: string): { streams: number, wants: number } {
    const count = this.peers.get(peer)
    return { streams: count?.streams ?? 0, wants: count?.wants ?? 0 }
  }

  private lease (peer: string, count: PeerCount): ServedStream {
    const { bounds } = this
    let wants = 0
    let released = false
    const remove = (n: number): void => {
      n = Math.min(n, wants)
      wants -= n
      count.wants -= n
      this.wants -= n
    }
    return {
      peer,
      get wants () { return wants },
      addWants: (n: number): void => {
        if (released) throw new ProtocolError('wants on a stream that is no longer served')
        if (wants + n > bounds.maxWantsPerStream) throw new ProtocolError(`more than ${bounds.maxWantsPerStream} wants pending on one stream`)
        if (count.wants + n > bounds.maxWantsPerPeer) throw new ProtocolError(`more than ${bounds.maxWantsPerPeer} wants pending from one peer`)
        if (this.wants + n > bounds.maxWantsTotal) throw new ServeLimitError(`more than ${bounds.maxWantsTotal} wants pending from all peers`)
        wants += n
        count.wants += n
        this.wants += n
      },
      removeWants: (n: number): void => { if (!released) remove(n) },
      release: (): void => {
        if (released) return
        remove(wants)
        released = true
        count.streams--
        this.streams--
        if (count.streams === 0) this.peers.delete(peer)
      }
    }
  }
}

import { logger } from '@libp2p/logger'
import { ServeLimits, type ServeLimitsInit, type ServeStats, type ServedStream } from './serve-limits.ts'
import { DEFAULT_SERVE_TIMEOUTS, serveStream, type ServeTimeouts } from './serve-stream.ts'
import { createUploadLimiter, type UploadLimiter } from './upload-limiter.ts'
import type { BlockStore } from '../storage/block-store.ts'
import type { Connection, Stream } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

const log = logger('chiral:serve')

/** What libp2p calls for each inbound stream of BLOCK_PROTOCOL. */
export type BlockStreamHandler = (stream: Stream, connection: Connection) => Promise<void>

export interface BlockHandlerInit {
  store: Pick<BlockStore, 'get'>
  /** Shared by every stream (one per peer process). Default: none, upload unlimited. */
  uploadLimiter?: UploadLimiter
  /**
   * The counts every served stream shares (one per peer process). Default: a
   * ServeLimits with the default bounds, made once per handler.
   */
  limits?: ServeLimits
  /** Default DEFAULT_SERVE_TIMEOUTS (SERVE_STREAM_IDLE_MS, SERVE_CLOSE_GRACE_MS, SERVE_WRITE_STALL_MS). */
  timeouts?: Partial<ServeTimeouts>
  /** Called after each block went out (statistics, UI), with the block's length. */
  onServed?(cid: CID, peer: string, bytes: number): void
}

/**
 * The stream handler of the block protocol. Each stream is counted against
 * `limits` first: one past a stream bound is reset at once, never queued. Its
 * counts are released when it ends, however it ends. See serveStream for how a
 * stream is served and when it is closed or reset.
 */
export function createBlockHandler (init: BlockHandlerInit): BlockStreamHandler {
  const limits = init.limits ?? new ServeLimits()
  const timeouts: ServeTimeouts = { ...DEFAULT_SERVE_TIMEOUTS, ...init.timeouts }
  return async (stream, connection) => {
    const peer = connection.remotePeer.toString()
    let served: ServedStream
    try {
      served = limits.openStream(peer)
    } catch (err) {
      log('refusing block stream from %s: %s', peer, (err as Error).message)
      stream.abort(err as Error)
      return
    }
    try {
      await serveStream(stream, served, { store: init.store, uploadLimiter: init.uploadLimiter, timeouts, onServed: init.onServed })
    } catch (err) { // serveStream handles its own failures; this is a last guard
      stream.abort(err as Error)
    } finally {
      served.release()
    }
  }
}

export interface BlockServerInit {
  store: Pick<BlockStore, 'get'>
  /** Upload limit in bytes per second at start; default undefined (unlimited). */
  uploadLimit?: number
  /** Stream and want bounds; each defaults to its constant (MAX_SERVED_STREAMS_PER_PEER, ...). */
  bounds?: ServeLimitsInit
  /** Default DEFAULT_SERVE_TIMEOUTS. */
  timeouts?: Partial<ServeTimeouts>
  /** Called after each block went out (statistics, UI), with the block's length. */
  onServed?(cid: CID, peer: string, bytes: number): void
}

export interface BlockServerStats extends ServeStats {
  /** Bytes per second, undefined when unlimited. */
  uploadLimit: number | undefined
}

/** The sharer side of the block protocol, for one peer process. */
export interface BlockServer {
  /** Register for BLOCK_PROTOCOL: `libp2p.handle(BLOCK_PROTOCOL, server.handler, ...)`. */
  readonly handler: BlockStreamHandler
  /**
   * Limit the upload of all streams together (undefined = unlimited). Takes
   * effect from the next block.
   * @throws RangeError unless undefined or a finite number > 0
   */
  setUploadLimit(bytesPerSecond: number | undefined): void
  stats(): BlockServerStats
}

/**
 * The block server of one peer process: it owns the shared counts
 * (ServeLimits) and the upload limiter, and hands out the stream handler.
 * Use this from the peer; createBlockHandler is the part underneath.
 */
export function createBlockServer (init: BlockServerInit): BlockServer {
  const limits = new ServeLimits(init.bounds)
  const uploadLimiter = createUploadLimiter({ bytesPerSecond: init.uploadLimit })
  return {
    handler: createBlockHandler({ store: init.store, limits, uploadLimiter, timeouts: init.timeouts, onServed: init.onServed }),
    setUploadLimit: bytesPerSecond => { uploadLimiter.setLimit(bytesPerSecond) },
    stats: () => ({ ...limits.stats(), uploadLimit: uploadLimiter.limit })
  }
}

import { INITIAL_WINDOW_BLOCKS, MIN_WINDOW_BLOCKS, PEER_RATE_WINDOW_MS, STALL_BLOCK_TIMES, WINDOW_TARGET_MS } from '../constants.ts'
import { ProgressMeter } from '../util/progress-meter.ts'
import type { BlockSession } from './block-session.ts'
import type { WantOwner } from './want-list.ts'
import type { Connection } from '@libp2p/interface'

/** What a link is doing now (diagnostics and tests: `Swarm.links()`). */
export interface LinkSnapshot {
  peer: string
  inFlight: number
  window: number
  bytesPerSecond: number
  blocks: number
  faults: number
}

/**
 * One peer we exchange blocks with, shared by every transfer it can serve:
 * its session, its measured rate, and the request window that rate earns
 * (a fast peer gets more wants in flight, a slow one fewer), its faults.
 */
export class PeerLink {
  readonly peer: string
  readonly session: BlockSession
  readonly connection: Connection | undefined
  /** The transfers this peer is a provider for. */
  readonly owners = new Set<WantOwner>()
  /** Blocks received and still being verified or stored: they count against the window, so storage paces requests. */
  processing = 0
  /** Blocks that did not match their CID. */
  faults = 0
  blocks = 0
  bytes = 0
  private readonly maxWindow: number
  private readonly stallMinMs: number
  private readonly meter = new ProgressMeter(PEER_RATE_WINDOW_MS)

  constructor (peer: string, session: BlockSession, options: { connection?: Connection, maxWindow: number, stallMinMs: number }) {
    this.peer = peer
    this.session = session
    this.connection = options.connection
    this.maxWindow = options.maxWindow
    this.stallMinMs = options.stallMinMs
  }

  received (bytes: number, now = performance.now()): void {
    this.blocks++
    this.bytes += bytes
    this.meter.add(bytes, now)
  }

  /** Bytes per second over the last few seconds. */
  rate (now = performance.now()): number {
    return this.meter.bytesPerSecond(now)
  }

  /**
   * Wants this peer may hold: enough to keep it busy for WINDOW_TARGET_MS at
   * its measured rate, plus one; a stalled peer gets the minimum until it
   * answers again.
   */
  window (now = performance.now()): number {
    if (this.stalled(now)) return MIN_WINDOW_BLOCKS
    if (this.blocks < 2) return Math.min(INITIAL_WINDOW_BLOCKS, this.maxWindow)
    const blockBytes = Math.max(1, this.bytes / this.blocks)
    const earned = Math.ceil((this.rate(now) * WINDOW_TARGET_MS) / 1000 / blockBytes) + 1
    return Math.max(MIN_WINDOW_BLOCKS, Math.min(this.maxWindow, earned))
  }

  /** Milliseconds per block at its measured rate; undefined until it has sent two. */
  blockMs (now = performance.now()): number | undefined {
    const rate = this.blocks < 2 ? 0 : this.rate(now)
    return rate > 0 ? (Math.max(1, this.bytes / this.blocks) * 1000) / rate : undefined
  }

  room (now = performance.now()): number {
    return this.window(now) - this.session.inFlight - this.processing
  }

  /** Its next answer is overdue: several blocks' time at its own rate, and at least stallMinMs. */
  stalled (now = performance.now()): boolean {
    const waiting = this.session.waitingFor(now)
    if (waiting === 0) return false
    return waiting > Math.max(this.stallMinMs, STALL_BLOCK_TIMES * (this.blockMs(now) ?? 0))
  }

  snapshot (now = performance.now()): LinkSnapshot {
    return { peer: this.peer, inFlight: this.session.inFlight, window: this.window(now), bytesPerSecond: this.rate(now), blocks: this.blocks, faults: this.faults }
  }
}

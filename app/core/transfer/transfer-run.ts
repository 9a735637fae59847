import * as raw from 'multiformats/codecs/raw'
import { LOCAL_CHECK_BATCH, MAX_WANTS_PER_TRANSFER, PROGRESS_INTERVAL_MS, PROVIDER_GONE_GRACE_MS, PROVIDER_SEARCH_INTERVAL_MS, REDISCOVERY_GAP_MS, TRANSFER_TICK_MS } from '../constants.ts'
import { AbortError } from '../errors.ts'
import { ProgressMeter } from '../util/progress-meter.ts'
import { Wakeup } from '../util/wakeup.ts'
import { DagWalker, type DagLimits, type DagPosition } from './dag-walker.ts'
import { ProviderSearch, type FindPeers } from './provider-search.ts'
import { RunFiles, type OwnedPosition, type RunFilesHooks } from './run-files.ts'
import { RunSteering, type TransferTimeouts } from './run-steering.ts'
import { WalkQueue } from './walk-queue.ts'
import type { TreeFile } from '../content/share-tree.ts'
import type { BlockStore } from '../storage/block-store.ts'
import type { Swarm, SwarmOwner } from './swarm.ts'
import type { CID } from 'multiformats/cid'
import type { DownloadProgress, SourceCount } from '../types.ts'

export type { TransferTimeouts } from './run-steering.ts'

/** A run's progress: the download's, with its per-peer counts always present (paths are the peer's to add). */
export type RunProgress = Omit<DownloadProgress, 'paths' | 'sources'> & { sources: SourceCount[] }

export interface TransferRunInit {
  root: CID
  store: BlockStore
  swarm: Swarm
  /**
   * One search: block streams to providers of `root`. `reuse(peer)` is true
   * when the swarm already has a link to that peer (no stream is opened then);
   * `missed(peer)` reports a provider found but not reached this time.
   */
  findPeers: FindPeers
  signal: AbortSignal
  timeouts?: Partial<TransferTimeouts>
  limits?: Partial<DagLimits>
  /** Positions waited for from the network at once. Default MAX_WANTS_PER_TRANSFER. */
  maxWants?: number
  onProgress?(progress: RunProgress): void
  /** The root block is stored: from now on this peer can serve what it holds. */
  onRootStored?(): void
  /** The file tree as it arrives, and which files to fetch. Default: every file, nobody told. */
  files?: RunFilesHooks
}

export interface RunResult {
  blocksFetched: number
  blocksLocal: number
  bytes: number
  sources: SourceCount[]
  /** The share's files (safe paths), every folder and file root having been read. */
  files: TreeFile[]
  /** Some files were not selected: their data was not fetched. */
  partial: boolean
}

/**
 * One run of one download: walks the DAG from the root (bounded, iterative,
 * depth first), takes what is stored, wants the rest from the swarm, and keeps
 * looking for providers while it runs. Ends when every block is stored, or
 * with a typed error: nobody has it, every provider left for longer than
 * goneGraceMs, a DAG past its bounds, storage full, or aborted (pause/cancel).
 */
export async function runTransfer (init: TransferRunInit): Promise<RunResult> {
  const run = new TransferRun(init)
  try {
    return await run.run()
  } finally {
    run.close()
  }
}

class TransferRun implements SwarmOwner {
  readonly root: string
  private readonly init: TransferRunInit
  private readonly maxWants: number
  private readonly walker: DagWalker
  /** The file tree, the pick, and which files are complete. */
  private readonly files: RunFiles
  /** Positions not yet checked against the store: structure first, then the picked files' data. */
  private readonly fresh: WalkQueue
  private readonly stopSelection: () => void
  private readonly wakeup = new Wakeup()
  private readonly meter = new ProgressMeter()
  private readonly sources = new Map<string, SourceCount>()
  private readonly searches: ProviderSearch
  private wanted = 0
  private storing = 0
  private blocksFetched = 0
  private blocksLocal = 0
  private failure: Error | undefined
  private rootStored = false
  /** When to search again, and when to give up. */
  private readonly steering: RunSteering
  private lastProgress = 0
  private reportedBytes = 0

  constructor (init: TransferRunInit) {
    this.init = init
    this.root = init.root.toString()
    const timeouts = { goneGraceMs: PROVIDER_GONE_GRACE_MS, searchIntervalMs: PROVIDER_SEARCH_INTERVAL_MS, rediscoveryGapMs: REDISCOVERY_GAP_MS, ...init.timeouts }
    this.walker = new DagWalker(init.root, init.limits)
    this.searches = new ProviderSearch({
      findPeers: init.findPeers,
      reuse: peer => init.swarm.reuse(this, peer),
      found: peerStream => { init.swarm.addPeer(this, peerStream) },
      ended: () => { this.wakeup.wake() }
    }, init.signal)
    this.steering = new RunSteering({
      root: this.root,
      links: () => init.swarm.peersOf(this).length,
      stuck: now => init.swarm.stuck(this, now),
      badBlock: () => init.swarm.badBlock(this),
      progressed: () => this.blocksFetched > 0 || this.rootStored,
      searches: this.searches,
      wake: () => { this.wakeup.wake() }
    }, timeouts)
    this.maxWants = Math.max(1, init.maxWants ?? MAX_WANTS_PER_TRANSFER)
    this.files = new RunFiles(init.root, init.files?.selection)
    this.fresh = new WalkQueue(this.files)
    this.fresh.push(this.walker.root)
    this.stopSelection = init.files?.selection?.subscribe(() => { this.reselect() }) ?? (() => {})
  }

  async run (): Promise<RunResult> {
    const { signal } = this.init
    const wake = (): void => { this.wakeup.wake() }
    signal.addEventListener('abort', wake)
    const ticker = setInterval(wake, TRANSFER_TICK_MS) // a peer's refusals lapse without an event
    try {
      // the first search starts with the walk, not once the store has said whether the root is
      // here: a fresh page's first IndexedDB transaction takes tens of ms, and finding and dialing
      // a provider is the long pole (a download found whole in the store stops it at once)
      this.steering.steer(performance.now())
      while (true) {
        await this.takeLocal()
        if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new AbortError()
        if (this.failure != null) throw this.failure
        if (this.fresh.size === 0 && this.wanted === 0 && this.storing === 0) {
          this.fresh.reselect(() => undefined) // a file picked just now is fetched in this run
          if (this.fresh.size === 0) break
          continue
        }
        this.steering.steer(performance.now())
        this.progress()
        if (!this.fresh.ready || this.wanted >= this.maxWants) await this.wakeup.wait()
      }
      this.stopSelection() // from here on a wider pick is the transfer's to run again
      this.files.end()
      this.progress(true)
      return {
        blocksFetched: this.blocksFetched,
        blocksLocal: this.blocksLocal,
        bytes: this.walker.bytes,
        sources: [...this.sources.values()],
        files: this.files.tree.files(),
        partial: this.files.partial
      }
    } finally {
      clearInterval(ticker)
      this.steering.close()
      signal.removeEventListener('abort', wake)
    }
  }

  close (): void {
    this.stopSelection()
    this.searches.stop()
    this.init.swarm.release(this)
  }

  delivered (position: DagPosition, block: Uint8Array, peer: string, stored: Promise<void>): void {
    this.wanted--
    this.fresh.arrived(position)
    this.storing++
    this.blocksFetched++
    const source = this.sources.get(peer) ?? { peer, blocks: 0, bytes: 0 }
    source.blocks++
    source.bytes += block.byteLength
    this.sources.set(peer, source)
    this.meter.add(block.byteLength)
    this.steering.delivered()
    this.expand(position, block) // a verified node's links can be wanted while it is still being written
    stored.then(() => {
      if (position === this.walker.root) this.onRootStored()
      this.files.stored(position)
    }, (err: unknown) => {
      this.failure ??= err as Error // storage full: the download cannot go on
    }).finally(() => {
      this.storing--
      this.wakeup.wake()
    })
  }

  changed (): void {
    this.wakeup.wake()
  }

  failed (err: Error): void {
    this.failure ??= err
    this.wakeup.wake()
  }

  lacked (): void {
    this.steering.lacked(performance.now())
    this.wakeup.wake()
  }

  private expand (position: OwnedPosition, block: Uint8Array | undefined): void {
    try {
      const children = this.walker.expand(position, block)
      if (block != null) this.files.tree.add(position.cid, block) // checked by the walker first: within its bounds
      for (let i = children.length - 1; i >= 0; i--) this.fresh.push(this.files.own(position, children[i] as DagPosition))
    } catch (err) {
      this.failure ??= err as Error // past the DAG's bounds, or malformed
    }
    this.wakeup.wake()
  }

  /** The pick changed: newly picked files' data is taken up, unpicked files' wants are withdrawn (and held). */
  private reselect (): void {
    this.wanted -= this.fresh.reselect(position => this.init.swarm.unwant(this, position))
    this.wakeup.wake()
  }

  private onRootStored (): void {
    if (this.rootStored) return
    this.rootStored = true
    this.init.onRootStored?.()
  }

  /**
   * Check the next positions against the store, a batch at a time and
   * concurrently (a 1 GB file has 4,000 leaves). Stored blocks are expanded
   * without the network, so a resumed download skips them; the rest are wanted.
   */
  private async takeLocal (): Promise<void> {
    // wants beyond a bound stay on the stack: a folder of 2^18 files must not become 2^18 wants at once
    const batch = this.fresh.take(Math.min(LOCAL_CHECK_BATCH, this.maxWants - this.wanted))
    if (batch.length === 0) return
    const { signal } = this.init
    const stored = await Promise.all(batch.map(async position => this.init.store.has(position.cid, { signal })))
    const local: OwnedPosition[] = []
    for (const [i, position] of batch.entries()) {
      if (stored[i] === true) {
        local.push(position)
      } else {
        if (this.init.swarm.want(this, position)) {
          this.wanted++
          this.fresh.wanted(position)
        }
      }
    }
    // expanding pushes children on the stack: last sibling first, so the first one's subtree comes next
    for (let i = local.length - 1; i >= 0; i--) {
      const position = local[i] as OwnedPosition
      this.blocksLocal++
      const knownBySize = position.cid.code === raw.code && position.expectedBytes != null && !this.files.tree.wants(position.cid)
      this.expand(position, knownBySize ? undefined : await this.init.store.get(position.cid, { signal }))
      if (position === this.walker.root) this.onRootStored()
      this.files.stored(position)
    }
  }

  private progress (force = false): void {
    const now = performance.now()
    const firstBytes = this.reportedBytes === 0 && this.walker.bytes > 0 // the first data a person sees is never held back
    if (!force && !firstBytes && !this.files.wholeNow() && now - this.lastProgress < PROGRESS_INTERVAL_MS) return
    this.lastProgress = now
    this.reportedBytes = this.walker.bytes
    const peers = this.init.swarm.peersOf(this).length
    this.files.show(this.init.files?.onFiles)
    this.init.onProgress?.({
      phase: peers > 0 || this.blocksFetched > 0 ? 'transferring' : this.searches.rounds > 0 && !this.searches.running ? 'connecting' : 'finding',
      bytes: this.walker.bytes,
      totalBytes: this.files.picking ? this.files.selectedBytes() : this.walker.total ?? this.files.selectedBytes(),
      blocksFetched: this.blocksFetched,
      blocksLocal: this.blocksLocal,
      peers,
      bytesPerSecond: this.meter.movingRate(now),
      sources: [...this.sources.values()].map(s => ({ ...s }))
    })
  }
}

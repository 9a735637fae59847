import { BLOCK_TIMEOUT_MS, LACK_RETRY_MS, MAX_PENDING_WANTS_PER_STREAM, MIN_WINDOW_BLOCKS, MAX_BAD_BLOCKS_PER_PEER, SCHEDULE_TICK_MS, STALL_MIN_MS } from '../constants.ts'
import { verifyBlock } from '../content/verify-block.ts'
import { BlockSession } from './block-session.ts'
import { PeerBans } from './peer-bans.ts'
import { PeerLink, type LinkSnapshot } from './peer-link.ts'
import { assignWants } from './assign-wants.ts'
import { WantList, type Want, type WantOwner } from './want-list.ts'
import type { BlockStore } from '../storage/block-store.ts'
import type { PeerStream } from './peer-stream.ts'
import { positionKey, type DagPosition } from './dag-walker.ts'
import type { CID } from 'multiformats/cid'

/** A transfer, as the swarm sees it. */
export interface SwarmOwner extends WantOwner {
  /** A verified block for one of its positions; `stored` settles once it is written. */
  delivered(position: DagPosition, block: Uint8Array, peer: string, stored: Promise<void>): void
  /** Something changed that may unblock or block it (a peer joined, left, or lacked a block). */
  changed(): void
  /** A block it needs can never be accepted (its CID cannot be checked): the transfer cannot go on. */
  failed(err: Error): void
  /** A peer said it lacks one of its blocks (progress may stop here: the idle clock starts). */
  lacked(): void
}

export interface SwarmTimeouts {
  /** A peer whose next answer is this overdue has its wants asked elsewhere too. */
  stallMinMs: number
  /** A peer that lacked a block is asked again after this (it may be downloading it). */
  lackRetryMs: number
  /** A peer silent this long while owing blocks is dropped. */
  blockTimeoutMs: number
}

export interface SwarmInit {
  store: BlockStore
  /** Most wants in flight per peer. */
  maxWindow: number
  timeouts?: Partial<SwarmTimeouts>
  onWarning?(err: Error): void
}

/**
 * The block exchange of one peer: one want list and one link per remote peer,
 * shared by every running transfer. It asks each peer for as much as its
 * window allows, re-asks elsewhere what a stalled peer owes, asks a second
 * peer for the last blocks (endgame), cancels duplicates when the first copy
 * arrives, verifies every block against its CID before it is stored, and
 * drops peers that keep sending bad blocks.
 */
export class Swarm {
  private readonly init: SwarmInit
  private readonly timeouts: SwarmTimeouts
  private readonly wants = new WantList()
  private readonly linked = new Map<string, PeerLink>()
  private readonly banned = new PeerBans()
  private scheduled = false
  private ticker: ReturnType<typeof setInterval> | undefined

  constructor (init: SwarmInit) {
    // the sharer resets a stream holding more wants than this
    this.init = { ...init, maxWindow: Math.min(MAX_PENDING_WANTS_PER_STREAM, Math.max(MIN_WINDOW_BLOCKS, init.maxWindow)) }
    this.timeouts = { stallMinMs: STALL_MIN_MS, lackRetryMs: LACK_RETRY_MS, blockTimeoutMs: BLOCK_TIMEOUT_MS, ...init.timeouts }
  }

  /** Every link as it stands (diagnostics, tests): wants in flight, window, rate, faults. */
  links (): LinkSnapshot[] {
    const now = performance.now()
    return [...this.linked.values()].map(link => link.snapshot(now))
  }

  /** Links serving `owner`. */
  peersOf (owner: WantOwner): PeerLink[] {
    return [...this.linked.values()].filter(link => link.owners.has(owner))
  }

  /** Serve `owner` from a link we already have to `peer`; false when there is none. */
  reuse (owner: SwarmOwner, peer: string): boolean {
    const link = this.linked.get(peer)
    if (link == null || !link.session.isOpen) return false
    if (!link.owners.has(owner)) {
      link.owners.add(owner)
      owner.changed()
      this.schedule()
    }
    return true
  }

  /** A new block stream to a provider of `owner`'s root. */
  addPeer (owner: SwarmOwner, { peer, stream, connection }: PeerStream): void {
    if (this.reuse(owner, peer) || this.banned.has(peer)) {
      stream.abort(new Error('duplicate or banned peer'))
      return
    }
    const session = new BlockSession(peer, stream, {
      onBlock: (cid, bytes) => { this.onBlock(link, cid, bytes) },
      onDontHave: cid => { this.onDontHave(link, cid) },
      onClose: (err, outstanding) => { this.onClose(link, err, outstanding) }
    }, this.timeouts.blockTimeoutMs)
    const link: PeerLink = new PeerLink(peer, session, { connection, maxWindow: this.init.maxWindow, stallMinMs: this.timeouts.stallMinMs })
    link.owners.add(owner)
    this.linked.set(peer, link)
    owner.changed()
    this.schedule()
  }

  /**
   * Want `position`'s block for `owner`; false when it merged into an equal
   * position already waiting (one delivery for both). `first`: ask for it
   * before everything queued (someone waits on it now).
   */
  want (owner: SwarmOwner, position: DagPosition, options: { first?: boolean } = {}): boolean {
    const { want, merged } = this.wants.add({ owner, position })
    if (options.first === true) this.wants.prioritize(want)
    this.schedule()
    return !merged
  }

  /** Peers linked for any owner of `root` (the transfer downloading it). */
  peersServing (root: string): string[] {
    return [...this.linked.values()].filter(link => link.session.isOpen && [...link.owners].some(owner => owner.root === root)).map(link => link.peer)
  }

  /**
   * `owner` no longer needs `position`'s block (its file was unpicked): the
   * want goes, cancelled at the peers asked, unless another waits for it.
   * Returns the position as it waited (merged copies included), or undefined
   * when it was not waiting (already delivered).
   */
  unwant (owner: SwarmOwner, position: DagPosition): DagPosition | undefined {
    const want = this.wants.get(position.cid.toString())
    if (want == null) return undefined
    const removed = this.wants.dropWaiter(want, owner, positionKey(position))
    if (removed == null) return undefined
    if (!this.wants.holds(want)) {
      for (const peer of want.askedOf.keys()) this.linked.get(peer)?.session.cancel([want.cid])
    }
    this.schedule()
    return removed.position
  }

  /**
   * `owner` stops (done, paused, cancelled, failed): its waiters go, wants
   * nobody else needs are cancelled at the peers asked, and links serving
   * nobody are closed.
   */
  release (owner: WantOwner): void {
    for (const want of this.wants.dropOwner(owner)) {
      for (const peer of want.askedOf.keys()) this.linked.get(peer)?.session.cancel([want.cid])
    }
    for (const link of [...this.linked.values()]) {
      if (!link.owners.delete(owner) || link.owners.size > 0) continue
      this.linked.delete(link.peer)
      link.session.close()
    }
    this.schedule()
  }

  /**
   * Nothing of `owner`'s is asked of anyone or arriving, and every one of its
   * peers refuses what it still needs (for now: a peer that lacked a block is
   * asked again later). Undefined while it has no peers at all.
   */
  stuck (owner: WantOwner, now = performance.now()): boolean {
    const links = this.peersOf(owner)
    if (links.length === 0) return false
    let any = false
    for (const want of this.wants.of(owner)) {
      any = true
      if (want.askedOf.size > 0 || want.verifying > 0) return false
      if (links.some(link => !want.refuses(link.peer, now))) return false
    }
    return any
  }

  /**
   * A block of `owner`'s that only came with wrong bytes and that no linked
   * peer may still send: waiting will not bring it.
   */
  badBlock (owner: WantOwner): CID | undefined {
    const links = this.peersOf(owner)
    for (const want of this.wants.of(owner)) {
      if (want.askedOf.size > 0 || want.verifying > 0) continue
      if (![...want.refusedBy.values()].includes(Infinity)) continue
      if (links.every(link => want.refusedBy.get(link.peer) === Infinity)) return want.cid
    }
    return undefined
  }

  /** Close every link (the peer is stopping). */
  stop (): void {
    clearInterval(this.ticker)
    this.ticker = undefined
    for (const link of this.linked.values()) link.session.close()
    this.linked.clear()
  }

  private onBlock (link: PeerLink, cid: CID, bytes: Uint8Array): void {
    const want = this.wants.get(cid.toString())
    if (want == null) return // a late duplicate: another peer's copy won
    want.verifying++
    link.processing++
    void this.accept(link, want, bytes).finally(() => {
      link.processing--
      this.schedule()
    })
  }

  private async accept (link: PeerLink, want: Want, bytes: Uint8Array): Promise<void> {
    try {
      await verifyBlock(want.cid, bytes)
    } catch (err) {
      want.verifying--
      if ((err as Error).name === 'BlockVerificationError') {
        this.fault(link, want, err as Error)
      } else if (this.wants.holds(want)) {
        // we cannot check this CID at all (another hash function): no peer is to blame, the download cannot go on
        this.wants.settle(want)
        for (const { owner } of want.waiters) (owner as SwarmOwner).failed(err as Error)
      }
      return
    }
    want.verifying--
    if (!this.wants.holds(want)) return // another copy was verified first
    link.received(bytes.byteLength)
    this.wants.settle(want)
    for (const peer of want.askedOf.keys()) {
      if (peer !== link.peer) this.linked.get(peer)?.session.cancel([want.cid])
    }
    const stored = this.init.store.put(want.cid, bytes)
    stored.catch(() => {}) // each waiter hears of a failure through `stored`
    for (const { owner, position } of want.waiters) (owner as SwarmOwner).delivered(position, bytes, link.peer, stored)
    await stored.catch(() => {})
  }

  /** A block that is not what its CID says: that peer is never asked for it again, and is dropped after a few. */
  private fault (link: PeerLink, want: Want, err: Error): void {
    link.faults++
    want.refusedBy.set(link.peer, Infinity)
    this.wants.unask(want, link.peer)
    this.schedule()
    this.init.onWarning?.(new Error(`peer ${link.peer} sent a bad block: ${err.message}`, { cause: err }))
    if (link.faults >= MAX_BAD_BLOCKS_PER_PEER) {
      this.banned.ban(link.peer)
      link.session.close(err)
    }
  }

  private onDontHave (link: PeerLink, cid: CID): void {
    const want = this.wants.get(cid.toString())
    if (want == null) return
    want.refusedBy.set(link.peer, performance.now() + this.timeouts.lackRetryMs)
    this.wants.unask(want, link.peer)
    for (const { owner } of want.waiters) { (owner as SwarmOwner).lacked(); (owner as SwarmOwner).changed() }
    this.schedule()
  }

  private onClose (link: PeerLink, err: Error | undefined, outstanding: CID[]): void {
    if (this.linked.get(link.peer) === link) this.linked.delete(link.peer)
    for (const cid of outstanding) {
      const want = this.wants.get(cid.toString())
      if (want != null) this.wants.unask(want, link.peer)
    }
    // and anything else still booked to it (a want it was asked for and then cancelled, say): nothing may wait on a closed link
    for (const want of this.wants.inFlight()) if (want.askedOf.has(link.peer)) this.wants.unask(want, link.peer)
    if (err != null) this.init.onWarning?.(new Error(`peer ${link.peer}: ${err.message}`, { cause: err }))
    for (const owner of link.owners) (owner as SwarmOwner).changed()
    this.schedule()
  }

  /** Assign on the next microtask: many events in one turn make one pass. */
  private schedule (): void {
    if (this.scheduled) return
    this.scheduled = true
    queueMicrotask(() => {
      this.scheduled = false
      this.assign()
      this.tick()
    })
  }

  /** While wants are out, look again periodically: stalls and lapsed refusals happen without an event. */
  private tick (): void {
    if (this.wants.size > 0 && this.linked.size > 0) {
      this.ticker ??= setInterval(() => { this.assign() }, SCHEDULE_TICK_MS)
    } else if (this.ticker != null) {
      clearInterval(this.ticker)
      this.ticker = undefined
    }
  }

  private assign (): void {
    assignWants(this.wants, this.linked, performance.now())
  }
}

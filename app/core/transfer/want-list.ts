import { mergePositions, positionKey, type DagPosition } from './dag-position.ts'
import type { CID } from 'multiformats/cid'

/** Whoever waits for blocks: one running transfer. */
export interface WantOwner {
  readonly root: string
}

export interface Waiter {
  owner: WantOwner
  position: DagPosition
}

/** One CID we need: asked of some peers, refused by others, waited for by one or more DAG positions. */
export class Want {
  readonly cid: CID
  readonly key: string
  readonly waiters: Waiter[] = []
  /** Peers asked for it, and when (performance.now()). */
  readonly askedOf = new Map<string, number>()
  /** Peers not to ask until a time: they lacked it (for a while) or sent bad bytes (Infinity). */
  readonly refusedBy = new Map<string, number>()
  /** Whose queue it waits in until it is asked for (the owner that wanted it first). */
  queuedBy: WantOwner | undefined
  /** Copies that arrived and are being verified (each is checked: the first good one wins). */
  verifying = 0
  /** A player waits on it: it is asked before all others, and a peer asked for it is asked for nothing else meanwhile. */
  first = false

  constructor (cid: CID) {
    this.cid = cid
    this.key = cid.toString()
  }

  refuses (peer: string, now: number): boolean {
    const until = this.refusedBy.get(peer)
    return until != null && until > now
  }

  waitsFor (owner: WantOwner): boolean {
    return this.waiters.some(w => w.owner === owner)
  }
}

/**
 * Every block wanted by every transfer of this peer: one want per CID however
 * many DAG positions (of however many transfers) wait for it. Wants nobody has
 * been asked for are queued in order, one queue per transfer taken in turn (a
 * second download is not starved by the first); wants that came back (a peer
 * lacked one or left) go first.
 */
export class WantList {
  private readonly wants = new Map<string, Want>()
  /** Wants someone is waiting on right now (a player's next bytes): asked before all others. */
  private readonly urgent = new Set<Want>()
  private readonly again = new Set<Want>()
  private readonly fresh = new Map<WantOwner, Set<Want>>()
  private freshCount = 0
  /** Held wants marked `first` (a player's): while there are any, scheduling favours them (assign-wants.ts). */
  private firstCount = 0

  get size (): number {
    return this.wants.size
  }

  /** Whether a player waits on some held want right now. */
  get hasFirst (): boolean {
    return this.firstCount > 0
  }

  get queuedCount (): number {
    return this.urgent.size + this.again.size + this.freshCount
  }

  get (key: string): Want | undefined {
    return this.wants.get(key)
  }

  /**
   * Wait for `waiter.position`'s block; a CID already wanted gains a waiter and
   * is not asked for twice. An equal position of the same owner is merged into
   * the one already waiting (copies add up), so `merged` is true and the block
   * is expanded once for both.
   */
  add (waiter: Waiter): { want: Want, merged: boolean } {
    const { cid } = waiter.position
    const key = cid.toString()
    let want = this.wants.get(key)
    if (want == null) {
      want = new Want(cid)
      this.wants.set(key, want)
      this.enqueue(want, waiter.owner)
    }
    const same = positionKey(waiter.position)
    const index = want.waiters.findIndex(w => w.owner === waiter.owner && positionKey(w.position) === same)
    const existing = want.waiters[index]
    if (existing != null) {
      want.waiters[index] = { owner: waiter.owner, position: mergePositions(existing.position, waiter.position) }
      return { want, merged: true }
    }
    want.waiters.push(waiter)
    return { want, merged: false }
  }

  /** Queued wants: urgent ones first, then retries, then each transfer's in order, one from each in turn. */
  * queued (): Generator<Want> {
    for (const want of this.urgent) yield want
    for (const want of this.again) yield want
    const queues = [...this.fresh.values()].map(queue => queue.values())
    while (queues.length > 0) {
      for (let i = 0; i < queues.length;) {
        const next = (queues[i] as Iterator<Want>).next()
        if (next.done === true) {
          queues.splice(i, 1)
          continue
        }
        yield next.value
        i++
      }
    }
  }

  /** Wants asked of at least one peer, oldest first. */
  inFlight (): Want[] {
    const asked: Array<[number, Want]> = []
    for (const want of this.wants.values()) {
      if (want.askedOf.size === 0 || want.verifying > 0) continue
      let oldest = Infinity
      for (const at of want.askedOf.values()) oldest = Math.min(oldest, at)
      asked.push([oldest, want])
    }
    return asked.sort((a, b) => a[0] - b[0]).map(([, want]) => want)
  }

  ask (want: Want, peer: string, now: number): void {
    want.askedOf.set(peer, now)
    const owner = want.queuedBy
    this.dequeue(want)
    // that transfer had its turn: the next pass starts with the others
    const queue = owner == null ? undefined : this.fresh.get(owner)
    if (owner != null && queue != null) {
      this.fresh.delete(owner)
      this.fresh.set(owner, queue)
    }
  }

  /** `peer` will not send it (lacked it, left, or sent bad bytes): with nobody else asked, it is queued again, first. */
  unask (want: Want, peer: string): void {
    want.askedOf.delete(peer)
    if (want.askedOf.size === 0 && want.verifying === 0 && this.wants.get(want.key) === want) this.again.add(want)
  }

  /** Ask for `want` before every other queued want (one not asked of anyone yet; an asked one is on its way), and mark it `first`. */
  prioritize (want: Want): void {
    if (!this.holds(want)) return
    if (!want.first) {
      want.first = true
      this.firstCount++
    }
    if (want.askedOf.size > 0 || this.urgent.has(want)) return
    this.dequeue(want)
    this.urgent.add(want)
  }

  /** Still wanted (not settled by another copy, nor dropped)? */
  holds (want: Want): boolean {
    return this.wants.get(want.key) === want
  }

  /** The block arrived and was verified: nobody waits any more. */
  settle (want: Want): void {
    if (this.wants.get(want.key) === want && want.first) this.firstCount--
    this.wants.delete(want.key)
    this.dequeue(want)
  }

  /**
   * Drop one waiter of `owner` (the position with key `key`); returns it. A
   * want nobody waits for any more is removed (the caller cancels it at the
   * peers asked); one others wait for moves to their queue if it was queued for `owner`.
   */
  dropWaiter (want: Want, owner: WantOwner, key: string): Waiter | undefined {
    const index = want.waiters.findIndex(w => w.owner === owner && positionKey(w.position) === key)
    if (index < 0) return undefined
    const [removed] = want.waiters.splice(index, 1)
    if (want.waiters.length === 0) {
      this.settle(want)
    } else if (want.queuedBy === owner && !want.waitsFor(owner)) {
      this.dequeue(want)
      this.enqueue(want, (want.waiters[0] as Waiter).owner)
    }
    return removed
  }

  /** Drop an owner's waiters; returns the wants nobody waits for any more (they are removed). */
  dropOwner (owner: WantOwner): Want[] {
    const orphaned: Want[] = []
    for (const want of this.wants.values()) {
      if (!want.waitsFor(owner)) continue
      const others = want.waiters.filter(w => w.owner !== owner)
      want.waiters.length = 0
      for (const w of others) want.waiters.push(w)
      if (others.length > 0) {
        if (want.queuedBy === owner) { // it waits on in the queue of a transfer still running
          this.dequeue(want)
          this.enqueue(want, (others[0] as Waiter).owner)
        }
        continue
      }
      this.settle(want)
      orphaned.push(want)
    }
    return orphaned
  }

  private enqueue (want: Want, owner: WantOwner): void {
    let queue = this.fresh.get(owner)
    if (queue == null) {
      queue = new Set()
      this.fresh.set(owner, queue)
    }
    queue.add(want)
    want.queuedBy = owner
    this.freshCount++
  }

  private dequeue (want: Want): void {
    this.urgent.delete(want)
    this.again.delete(want)
    const owner = want.queuedBy
    if (owner == null) return
    want.queuedBy = undefined
    const queue = this.fresh.get(owner)
    if (queue?.delete(want) === true) this.freshCount--
    if (queue?.size === 0) this.fresh.delete(owner)
  }

  /** The owner's wants, for deciding whether it is stuck. */
  * of (owner: WantOwner): Generator<Want> {
    for (const want of this.wants.values()) if (want.waitsFor(owner)) yield want
  }
}

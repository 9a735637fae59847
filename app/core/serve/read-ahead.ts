import type { CID } from 'multiformats/cid'

/** Reads one block: its bytes, or undefined when the store does not hold it. */
export type BlockRead = (cid: CID) => Promise<Uint8Array | undefined>

/**
 * Reads of the wants at the head of a stream's queue, started before they are
 * answered: the store serves reads made together in one transaction (cheaper
 * per block), and the next block is in memory when the transport drains.
 * Holds at most the reads of the CIDs it was last given. It refills in
 * batches: new reads start only once at most one is left in flight, all of
 * the head's at once; topping up one at a time would make each answer's read
 * a transaction of its own.
 */
export class ReadAhead {
  private readonly reads = new Map<string, Promise<Uint8Array | undefined>>()
  private readonly read: BlockRead

  constructor (read: BlockRead) {
    this.read = read
  }

  /** Read these CIDs (the queue's head, in order) when the reads in flight run low; drop reads of CIDs no longer in it (cancelled). */
  prefetch (head: CID[]): void {
    const keep = new Set(head.map(cid => cid.toString()))
    for (const key of this.reads.keys()) if (!keep.has(key)) this.reads.delete(key)
    if (this.reads.size > 1) return
    for (const cid of head) {
      const key = cid.toString()
      if (this.reads.has(key)) continue
      const reading = this.read(cid)
      reading.catch(() => {}) // heard by whoever takes it; a read nobody takes must not be an unhandled rejection
      this.reads.set(key, reading)
    }
  }

  /** The block for this want: the read already under way, or a new one. Rejects with the signal's reason once it aborts (a store may not heed it). */
  async take (cid: CID, signal: AbortSignal): Promise<Uint8Array | undefined> {
    const key = cid.toString()
    const reading = this.reads.get(key) ?? this.read(cid)
    this.reads.delete(key)
    signal.throwIfAborted()
    let onAbort!: () => void
    const aborted = new Promise<never>((_resolve, reject) => { onAbort = () => { reject(signal.reason) } })
    signal.addEventListener('abort', onAbort, { once: true })
    try {
      return await Promise.race([reading, aborted])
    } finally {
      signal.removeEventListener('abort', onAbort)
    }
  }
}

import type { CID } from 'multiformats/cid'

/**
 * The wants of one stream not yet being answered, in request order. A CID may
 * be queued more than once (each occurrence is answered). Bounded by the
 * caller (ServeLimits), so linear scans stay short.
 */
export class WantQueue {
  private readonly cids: CID[] = []

  get length (): number {
    return this.cids.length
  }

  push (cids: CID[]): void {
    this.cids.push(...cids)
  }

  /** The next `count` wants, still queued. */
  peek (count: number): CID[] {
    return this.cids.slice(0, count)
  }

  /** The next want to answer; it leaves the queue, so a cancel no longer reaches it. */
  shift (): CID | undefined {
    return this.cids.shift()
  }

  /**
   * CANCEL: for each CID, remove its first queued occurrence; CIDs not queued
   * are ignored. Returns how many wants were removed.
   */
  cancel (cids: CID[]): number {
    let removed = 0
    for (const cid of cids) {
      const index = this.cids.findIndex(queued => queued.equals(cid))
      if (index === -1) continue
      this.cids.splice(index, 1)
      removed++
    }
    return removed
  }

  /** Drop everything (the stream is being torn down); returns how many were dropped. */
  clear (): number {
    return this.cids.splice(0).length
  }
}

import { BlockNotFoundError } from '../errors.ts'
import type { ShareIndex } from './share-index.ts'
import type { BlockStore, ShareRecord } from '../storage/block-store.ts'
import type { AbortOptions } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

export interface WithheldStoreInit {
  store: Pick<BlockStore, 'get'>
  index: Pick<ShareIndex, 'completeSharesOf'>
  listShares(options?: AbortOptions): Promise<ShareRecord[]>
}

/**
 * The store as the block server sees it: a block that belongs only to items
 * the user stopped sharing is answered as not stored (DONT_HAVE). A DHT record
 * cannot be withdrawn, so a peer that still finds us must still get nothing.
 * A block no library item claims (or one past the index's bound) is served as
 * before; a block shared by a stopped item and a sharing one is served.
 * While no item is stopped (the usual case) the index is not consulted at all:
 * it is rebuilt after every library change, and a peer's first want after a
 * new share would otherwise wait for a walk of the whole library.
 */
export class WithheldStore implements Pick<BlockStore, 'get'> {
  private readonly init: WithheldStoreInit
  private stopped: Promise<Set<string>> | undefined

  constructor (init: WithheldStoreInit) {
    this.init = init
  }

  /** The library changed: read which items are stopped again at the next block. */
  invalidate (): void {
    this.stopped = undefined
  }

  async get (cid: CID, options?: AbortOptions): Promise<Uint8Array> {
    const key = cid.toString()
    const stopped = await this.stoppedRoots(options)
    if (stopped.size > 0) {
      const owners = await this.init.index.completeSharesOf(key, options) // stopped items are complete: no re-walk for partial ones here
      if (owners.length > 0 && owners.every(root => stopped.has(root))) throw new BlockNotFoundError(key)
    }
    return this.init.store.get(cid, options)
  }

  private async stoppedRoots (options?: AbortOptions): Promise<Set<string>> {
    this.stopped ??= this.init.listShares(options)
      .then(records => new Set(records.filter(r => r.sharing === false).map(r => r.cid)))
      .catch(err => { this.stopped = undefined; throw err })
    return this.stopped
  }
}

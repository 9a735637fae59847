import type { BlockStore } from '../storage/block-store.ts'
import type { CID } from 'multiformats/cid'

/**
 * What the peer touched while a sweep ran. A block the sweep found unreachable
 * may still be wanted by someone who started after the mark: a share importing
 * the same bytes (put) or a download finding it already stored (has/get). Every
 * key touched during a sweep is kept by it; the next sweep decides again.
 */
export class SweepWitness {
  private readonly sweeps = new Set<Set<string>>()

  /** A sweep starts: from now on, every touched key is noted for it. */
  begin (): Set<string> {
    const touched = new Set<string>()
    this.sweeps.add(touched)
    return touched
  }

  end (touched: Set<string>): void {
    this.sweeps.delete(touched)
  }

  saw (cid: CID): void {
    if (this.sweeps.size === 0) return
    const key = cid.toString()
    for (const touched of this.sweeps) touched.add(key)
  }
}

/** The store as the rest of the peer uses it: every has/get/put is reported to the witness. */
export function witnessedStore (store: BlockStore, witness: SweepWitness): BlockStore {
  return {
    has: async (cid, options) => { witness.saw(cid); return store.has(cid, options) },
    get: async (cid, options) => { witness.saw(cid); return store.get(cid, options) },
    put: async (cid, bytes, options) => { witness.saw(cid); return store.put(cid, bytes, options) },
    delete: async (cid, options) => store.delete(cid, options),
    keys: options => store.keys(options),
    close: async () => store.close()
  }
}

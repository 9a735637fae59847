import * as raw from 'multiformats/codecs/raw'
import { CID } from 'multiformats/cid'
import { LOCAL_CHECK_BATCH } from '../constants.ts'
import { DagWalker, type DagPosition } from './dag-walker.ts'
import type { BlockStore } from '../storage/block-store.ts'
import type { AbortOptions } from '@libp2p/interface'

export interface StoredBytes {
  /** File bytes of the share already stored (what a resumed download need not fetch). */
  bytes: number
  /** The share's size, once every file's root is stored. */
  totalBytes?: number
}

/**
 * How much of a share is stored, without the network: the download's own DAG
 * walk (same bounds, same accounting as its progress) over the stored blocks
 * only, checked a batch at a time. A raw leaf of known size is not read.
 * Throws what the walk throws (DagLimitError, MalformedDagError, AbortError).
 */
export async function storedBytes (store: Pick<BlockStore, 'has' | 'get'>, root: string, options: AbortOptions = {}): Promise<StoredBytes> {
  const walker = new DagWalker(CID.parse(root))
  const stack: DagPosition[] = [walker.root]
  while (stack.length > 0) {
    const batch = stack.splice(Math.max(0, stack.length - LOCAL_CHECK_BATCH))
    const present = await Promise.all(batch.map(async position => store.has(position.cid, options)))
    for (const [i, position] of batch.entries()) {
      options.signal?.throwIfAborted()
      if (present[i] !== true) continue
      const knownBySize = position.cid.code === raw.code && position.expectedBytes != null
      const children = walker.expand(position, knownBySize ? undefined : await store.get(position.cid, options))
      for (const child of children) stack.push(child)
    }
  }
  const total = walker.total
  return total != null ? { bytes: walker.bytes, totalBytes: total } : { bytes: walker.bytes }
}

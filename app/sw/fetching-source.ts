/// <reference lib="webworker" />
import { requestBlock } from './block-request.ts'
import type { BlockSource } from '../core/content/file-reader.ts'
import type { AbortOptions } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

/**
 * Blocks from the store; one not stored yet is asked of the page that
 * downloads `root` (fetched before the rest of its download, verified and
 * stored there), then read from the store. So a player can read any range of
 * a share while it downloads, and seeking jumps the queue.
 */
export function fetchingSource (store: BlockSource, clients: Clients, root: string): BlockSource {
  return {
    async get (cid: CID, options: AbortOptions = {}): Promise<Uint8Array> {
      try {
        return await store.get(cid, options)
      } catch (err) {
        if ((err as Error).name !== 'BlockNotFoundError') throw err
      }
      await requestBlock(clients, root, cid.toString(), options.signal)
      return store.get(cid, options)
    }
  }
}

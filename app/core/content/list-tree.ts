import { CID } from 'multiformats/cid'
import { parseCidInput } from './parse-cid.ts'
import { ShareTree, type TreeFile } from './share-tree.ts'
import type { AbortOptions } from '@libp2p/interface'
import type { BlockStore } from '../storage/block-store.ts'

/**
 * The file tree of a stored share, with the safe, unique paths a download
 * shows (ShareTree): what Save and the zip name and find files by. Reads
 * only folders, shards and file roots; bounded like ShareTree.
 *
 * @throws BlockNotFoundError when a folder or file root is not stored; DagLimitError | MalformedDagError
 */
export async function listTree (store: Pick<BlockStore, 'get'>, root: CID | string, options: AbortOptions = {}): Promise<TreeFile[]> {
  const tree = new ShareTree(typeof root === 'string' ? parseCidInput(root) : root)
  for (let key = tree.nextWanted(); key != null; key = tree.nextWanted()) {
    options.signal?.throwIfAborted()
    const cid = CID.parse(key)
    tree.add(cid, await store.get(cid, options))
  }
  return tree.files()
}

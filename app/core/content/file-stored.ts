import { CID } from 'multiformats/cid'
import { MAX_DAG_LINKS_PER_NODE, MAX_DAG_VISITS } from '../constants.ts'
import { DagLimitError } from '../errors.ts'
import { decodeUnixfsNode } from './unixfs-node.ts'
import type { AbortOptions } from '@libp2p/interface'
import type { BlockStore } from '../storage/block-store.ts'

/**
 * Whether every block of one file is stored: a file of an unfinished share
 * (the person picked it, or it simply arrived first) can then be saved.
 * Reads only the file's dag-pb nodes; raw leaves are checked with has().
 * Bounded by MAX_DAG_VISITS blocks.
 */
export async function fileStored (store: Pick<BlockStore, 'get' | 'has'>, file: CID | string, options: AbortOptions = {}): Promise<boolean> {
  const stack = [typeof file === 'string' ? CID.parse(file) : file]
  let visits = 0
  while (stack.length > 0) {
    options.signal?.throwIfAborted()
    const cid = stack.pop() as CID
    if (++visits > MAX_DAG_VISITS) throw new DagLimitError('visits', MAX_DAG_VISITS, { cid: cid.toString() })
    if (!await store.has(cid, options)) return false
    if (cid.code !== 0x70) continue // raw leaf: present is enough
    const node = decodeUnixfsNode(cid, await store.get(cid, options), { maxLinks: MAX_DAG_LINKS_PER_NODE })
    if (node.kind === 'file') for (const link of node.links) stack.push(link)
  }
  return true
}

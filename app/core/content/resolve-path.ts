import { MAX_DAG_DEPTH, MAX_DAG_LINKS_PER_NODE } from '../constants.ts'
import { DagLimitError, MalformedDagError, NotInShareError } from '../errors.ts'
import { decodeUnixfsNode } from './unixfs-node.ts'
import type { AbortOptions } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'
import type { BlockSource } from './file-reader.ts'

/**
 * The CID of the entry at `path` (names joined by '/', as listFiles gives
 * them) under a share's root, reading only the folders on the way (and the
 * shards of a sharded folder, scanned rather than hashed to a slot: fewer
 * blocks than its entries), never the other entries: on a share still
 * downloading each block read may have to be fetched first, so a player
 * opening one file of a large folder waits for a handful of blocks, not all.
 * '' is the root itself. Bounded like the listing: MAX_DAG_DEPTH levels of
 * folders and shards, MAX_DAG_LINKS_PER_NODE links per block.
 *
 * @throws NotInShareError | DagLimitError | MalformedDagError; the source's errors
 */
export async function resolvePath (source: BlockSource, root: CID, path: string, options: AbortOptions = {}): Promise<CID> {
  if (path === '') return root
  const names = path.split('/')
  let current = root
  let depth = 0
  for (const [i, name] of names.entries()) {
    depth++
    // the folder, then its deeper shards (each read once: shards shared across slots are one lookup)
    const shards: Array<{ cid: CID, depth: number }> = [{ cid: current, depth }]
    const seen = new Set<string>()
    let found: CID | undefined
    while (found == null && shards.length > 0) {
      options.signal?.throwIfAborted()
      const shard = shards.pop() as { cid: CID, depth: number }
      if (seen.has(shard.cid.toString())) continue
      seen.add(shard.cid.toString())
      if (shard.depth > MAX_DAG_DEPTH) throw new DagLimitError('depth', MAX_DAG_DEPTH, { cid: shard.cid.toString() })
      const node = decodeUnixfsNode(shard.cid, await source.get(shard.cid, options), { maxLinks: MAX_DAG_LINKS_PER_NODE })
      if (node.kind === 'directory') {
        found = node.links.find(link => link.name === name)?.cid
        break
      }
      if (node.kind !== 'shard') {
        if (shard.cid === current) break // a file where a folder was expected: the path is not in the share
        throw new MalformedDagError(`a ${node.kind} sits where a folder shard belongs`, shard.cid.toString())
      }
      for (const link of node.links) {
        if (link.subShard) shards.push({ cid: link.cid, depth: shard.depth + 1 })
        else if (link.name === name) { found = link.cid; break }
      }
      depth = Math.max(depth, shard.depth)
    }
    if (found == null) throw new NotInShareError(names.slice(0, i + 1).join('/'), root.toString())
    current = found
  }
  return current
}

import { MAX_DAG_DEPTH, MAX_DAG_LINKS_PER_NODE, MAX_SHARE_BYTES, MAX_SHARE_ENTRIES } from '../constants.ts'
import { DagLimitError, MalformedDagError } from '../errors.ts'
import { openUnixfsFile, type ReadRangeOptions } from './file-reader.ts'
import { listTree } from './list-tree.ts'
import { parseCidInput } from './parse-cid.ts'
import { resolvePath } from './resolve-path.ts'
import { decodeUnixfsNode } from './unixfs-node.ts'
import type { AbortOptions } from '@libp2p/interface'
import { CID } from 'multiformats/cid'
import type { BlockStore } from '../storage/block-store.ts'
import type { SharedFile } from '../types.ts'

/** A folder (or deeper HAMT shard) waiting to be listed, or an entry waiting to be read. */
interface Pending {
  cid: CID
  /** The entry's path, or the folder's whose shard this is. */
  path: string
  /** Folder and shard levels below the root. */
  depth: number
  shard: boolean
}

/**
 * Every file under a root, with paths relative to it, in DAG order. A bare
 * file root lists as itself; symbolic links are no files and are left out.
 * Iterative (an explicit stack, so no depth of nesting reaches the call
 * stack) and bounded like a download (MAX_DAG_DEPTH levels, MAX_SHARE_ENTRIES
 * entries and MAX_SHARE_BYTES declared bytes counting repeats,
 * MAX_DAG_LINKS_PER_NODE links per block). The sizes are the ones file roots
 * declare; a download (DagWalker) has checked that every block agrees.
 *
 * @throws DagLimitError | MalformedDagError for content no download would have accepted
 */
export async function listFiles (store: Pick<BlockStore, 'get'>, root: CID | string, options: AbortOptions = {}): Promise<SharedFile[]> {
  const files: SharedFile[] = []
  const stack: Pending[] = [{ cid: typeof root === 'string' ? parseCidInput(root) : root, path: '', depth: 0, shard: false }]
  let entries = 1
  let bytes = 0n
  while (stack.length > 0) {
    options.signal?.throwIfAborted()
    const item = stack.pop() as Pending
    const node = decodeUnixfsNode(item.cid, await store.get(item.cid, options), { maxLinks: MAX_DAG_LINKS_PER_NODE })
    if (item.shard && node.kind !== 'shard') throw new MalformedDagError(`a ${node.kind} sits where a folder shard belongs`, item.cid.toString())
    if (node.kind === 'raw' || node.kind === 'file') {
      const size = node.kind === 'raw' ? BigInt(node.dataBytes) : node.fileSize
      bytes += size
      if (bytes > BigInt(MAX_SHARE_BYTES)) throw new DagLimitError('bytes', MAX_SHARE_BYTES, { claimed: bytes, cid: item.cid.toString() })
      files.push({ path: item.path === '' ? root.toString() : item.path, size: Number(size), cid: item.cid.toString() })
      continue
    }
    if (node.kind === 'symlink') continue
    const depth = item.depth + 1
    if (depth > MAX_DAG_DEPTH) throw new DagLimitError('depth', MAX_DAG_DEPTH, { cid: item.cid.toString() })
    const children: Pending[] = node.links.map(link => 'subShard' in link && link.subShard
      ? { cid: link.cid, path: item.path, depth, shard: true }
      : { cid: link.cid, path: item.path === '' ? link.name : `${item.path}/${link.name}`, depth, shard: false })
    entries += children.filter(child => !child.shard).length // counted before any is read: a folder of a million fails at once
    if (entries > MAX_SHARE_ENTRIES) throw new DagLimitError('entries', MAX_SHARE_ENTRIES, { cid: item.cid.toString() })
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Pending) // first child on top: DAG order
  }
  return files
}

/**
 * The root CID of the file at `path` in a share: the root itself for '' or
 * for a bare file root's own listed path (its CID), else the entry at that path:
 * by its names as sent, or by the safe path a download shows for it.
 *
 * @throws NotInShareError | DagLimitError | MalformedDagError
 */
export async function resolveFile (store: Pick<BlockStore, 'get'>, root: CID | string, path: string, options: AbortOptions = {}): Promise<CID> {
  const rootCid = typeof root === 'string' ? parseCidInput(root) : root
  try {
    return await resolvePath(store, rootCid, path === rootCid.toString() ? '' : path, options)
  } catch (err) {
    if ((err as Error).name !== 'NotInShareError') throw err
    // not a name as sent: the safe, unique path a download shows for a name that could not be kept (share-tree.ts)
    const file = (await listTree(store, rootCid, options)).find(f => f.path === path)
    if (file == null) throw err
    return CID.parse(file.cid)
  }
}

/**
 * Stream one file of a stored DAG (or the bytes [start, end) of it), a block
 * at a time with a small bounded read-ahead (content/file-reader.ts): the
 * consumer's pace decides how much is read, never the file's size.
 *
 * @throws NotInShareError | UnsupportedContentError (not a file) | DagLimitError | MalformedDagError | BlockNotFoundError
 */
export async function * readFile (store: Pick<BlockStore, 'get'>, root: CID | string, path: string, options: ReadRangeOptions = {}): AsyncGenerator<Uint8Array> {
  const file = await openUnixfsFile(store, await resolveFile(store, root, path, options), options)
  yield * file.read(options)
}

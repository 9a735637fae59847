import * as dagPb from '@ipld/dag-pb'
import * as raw from 'multiformats/codecs/raw'
import { UnixFS } from 'ipfs-unixfs'
import { MAX_CHILDREN_PER_NODE } from '../constants.ts'
import { ProtocolError } from '../errors.ts'
import type { CID } from 'multiformats/cid'

/** Links above this per node are not UnixFS as we (or Kubo) write it: a HAMT shard has at most 256. */
const MAX_LINKS_PER_NODE = Math.max(MAX_CHILDREN_PER_NODE, 256) * 64

export interface DagNode {
  /** Children in DAG order (file order for file nodes). */
  links: Array<{ cid: CID, name?: string, size?: number }>
  /** File bytes this block itself carries (raw leaf, or data inlined in a dag-pb file node). */
  dataBytes: number
  /** For a UnixFS file root: its total size. */
  fileSize?: number
  kind: 'raw' | 'file' | 'directory' | 'other'
}

/** Decode a verified block far enough to walk the DAG and count progress. */
export function decodeDagNode (cid: CID, bytes: Uint8Array): DagNode {
  if (cid.code === raw.code) return { links: [], dataBytes: bytes.byteLength, kind: 'raw' }
  let node: dagPb.PBNode
  try {
    node = dagPb.decode(bytes)
  } catch (err) {
    throw new ProtocolError(`block ${cid} is not valid dag-pb: ${(err as Error).message}`)
  }
  if (node.Links.length > MAX_LINKS_PER_NODE) throw new ProtocolError(`block ${cid} has ${node.Links.length} links`)
  const links = node.Links.map(link => ({ cid: link.Hash, name: link.Name, size: link.Tsize }))
  if (node.Data == null) return { links, dataBytes: 0, kind: 'other' }
  let unixfs: UnixFS
  try {
    unixfs = UnixFS.unmarshal(node.Data)
  } catch {
    return { links, dataBytes: 0, kind: 'other' }
  }
  if (unixfs.type === 'file' || unixfs.type === 'raw') {
    return { links, dataBytes: unixfs.data?.byteLength ?? 0, fileSize: Number(unixfs.fileSize()), kind: 'file' }
  }
  if (unixfs.type === 'directory' || unixfs.type === 'hamt-sharded-directory') return { links, dataBytes: 0, kind: 'directory' }
  return { links, dataBytes: 0, kind: 'other' }
}

import * as dagPb from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'
import * as raw from 'multiformats/codecs/raw'
import { MAX_BLOCK_BYTES, MAX_HAMT_FANOUT, MIN_HAMT_FANOUT } from '../constants.ts'
import { DagLimitError, MalformedDagError } from '../errors.ts'
import { SUPPORTED_CODECS } from './parse-cid.ts'
import type { CID } from 'multiformats/cid'

/** A named link of a folder or HAMT shard. */
export interface EntryLink {
  cid: CID
  name: string
  /**
   * File bytes of a raw-leaf entry, from the link's Tsize (for a raw block it
   * is exactly its length, at most MAX_BLOCK_BYTES); undefined for dag-pb targets.
   */
  rawBytes?: number
}

/** A link of a HAMT shard: an entry, or a deeper shard of the same folder. */
export type ShardLink = ({ subShard: false } & EntryLink) | { subShard: true, cid: CID }

/** One block of a UnixFS DAG, checked far enough to walk it safely. */
export type UnixfsNode =
  /** A raw leaf: every byte is file data. */
  | { kind: 'raw', dataBytes: number }
  /**
   * A dag-pb file node (UnixFS `file` or `raw`): inline data then its
   * children, child i holding blockSizes[i] bytes. fileSize = sum + dataBytes.
   */
  | { kind: 'file', links: CID[], blockSizes: bigint[], dataBytes: number, fileSize: bigint }
  | { kind: 'directory', links: EntryLink[] }
  /** A HAMT-sharded folder (root or deeper shard); `fanout` is its own. */
  | { kind: 'shard', links: ShardLink[], fanout: number }
  /** A symbolic link: no file bytes, no children. */
  | { kind: 'symlink' }

export interface DecodeUnixfsOptions {
  /** Links past this are a DagLimitError('links') before any of them is looked at. */
  maxLinks: number
}

/**
 * Decode a verified block and check that it is UnixFS as Kubo writes it: a
 * file node's links and blockSizes pair up, a raw leaf is said to fit in a block, a
 * folder's links have names, a HAMT shard's fan-out and link names are valid,
 * every link points at dag-pb or raw.
 *
 * @throws MalformedDagError | DagLimitError
 */
export function decodeUnixfsNode (cid: CID, bytes: Uint8Array, options: DecodeUnixfsOptions): UnixfsNode {
  if (cid.code === raw.code) return { kind: 'raw', dataBytes: bytes.byteLength }
  if (cid.code !== dagPb.code) throw new MalformedDagError(`a block has codec 0x${cid.code.toString(16)}, which is not UnixFS`, cid.toString())
  let node: dagPb.PBNode
  try {
    node = dagPb.decode(bytes)
  } catch (err) {
    throw new MalformedDagError(`a block is not valid dag-pb (${(err as Error).message})`, cid.toString())
  }
  if (node.Links.length > options.maxLinks) throw new DagLimitError('links', options.maxLinks, { cid: cid.toString() })
  if (node.Data == null) throw new MalformedDagError('a dag-pb block carries no UnixFS data', cid.toString())
  let unixfs: UnixFS
  try {
    unixfs = UnixFS.unmarshal(node.Data)
  } catch (err) {
    throw new MalformedDagError(`a block's UnixFS data cannot be read (${(err as Error).message})`, cid.toString())
  }
  for (const link of node.Links) {
    if (!SUPPORTED_CODECS.has(link.Hash.code)) {
      throw new MalformedDagError(`a block links to codec 0x${link.Hash.code.toString(16)}, which is not UnixFS`, cid.toString())
    }
  }
  switch (unixfs.type) {
    case 'file':
    case 'raw':
      return fileNode(cid, node, unixfs)
    case 'directory':
      return { kind: 'directory', links: node.Links.map(link => entryLink(cid, link, link.Name)) }
    case 'hamt-sharded-directory':
      return shardNode(cid, node, unixfs)
    case 'symlink':
      if (node.Links.length > 0) throw new MalformedDagError('a symbolic link has children', cid.toString())
      return { kind: 'symlink' }
    default:
      throw new MalformedDagError(`a block is a UnixFS ${unixfs.type} node, which Chiral does not read`, cid.toString())
  }
}

/**
 * A file node's size is its inline data plus its blockSizes, as ipfs-unixfs
 * and the exporter read it. The written filesize field is not compared: Kubo
 * reads it, but ipfs-unixfs drops it, and ipfs-unixfs 13.1.1 (protons-runtime
 * 7.1.2) writes it wrongly for sizes from 2^31 to 2^32 - 1, so Chiral's own
 * 2-4 GiB shares would be refused.
 */
function fileNode (cid: CID, node: dagPb.PBNode, unixfs: UnixFS): UnixfsNode {
  const { blockSizes } = unixfs
  if (blockSizes.length !== node.Links.length) {
    throw new MalformedDagError(`a file block has ${node.Links.length} links but ${blockSizes.length} block sizes`, cid.toString())
  }
  const dataBytes = unixfs.data?.byteLength ?? 0
  let fileSize = BigInt(dataBytes)
  for (const [i, size] of blockSizes.entries()) {
    fileSize += size
    const link = node.Links[i] as dagPb.PBLink
    if (link.Hash.code === raw.code && size > BigInt(MAX_BLOCK_BYTES)) {
      throw new MalformedDagError(`a file block says its raw leaf ${link.Hash} holds ${size} bytes, more than a block can`, cid.toString())
    }
  }
  return { kind: 'file', links: node.Links.map(link => link.Hash), blockSizes, dataBytes, fileSize }
}

function entryLink (parent: CID, link: dagPb.PBLink, name: string | undefined): EntryLink {
  if (name == null || name === '') throw new MalformedDagError('a folder lists an entry without a name', parent.toString())
  if (link.Hash.code !== raw.code || link.Tsize == null) return { cid: link.Hash, name }
  if (link.Tsize > MAX_BLOCK_BYTES) {
    throw new MalformedDagError(`a folder says its raw entry "${name}" holds ${link.Tsize} bytes, more than a block can`, parent.toString())
  }
  return { cid: link.Hash, name, rawBytes: link.Tsize }
}

/**
 * As ipfs-unixfs-exporter and Kubo read a shard: each link name starts with
 * the slot in hex, as many digits as fanout - 1 takes ('FF' at 256); a name
 * that is only the slot is a deeper shard, a longer one is an entry.
 */
function shardNode (cid: CID, node: dagPb.PBNode, unixfs: UnixFS): UnixfsNode {
  const fanout = unixfs.fanout
  if (fanout == null || fanout < BigInt(MIN_HAMT_FANOUT) || fanout > BigInt(MAX_HAMT_FANOUT) || (fanout & (fanout - 1n)) !== 0n) {
    throw new MalformedDagError(`a folder shard has fan-out ${fanout ?? 'none'}; Kubo writes powers of two from ${MIN_HAMT_FANOUT} to ${MAX_HAMT_FANOUT}`, cid.toString())
  }
  const slots = Number(fanout)
  if (node.Links.length > slots) throw new MalformedDagError(`a folder shard of fan-out ${slots} has ${node.Links.length} links`, cid.toString())
  const prefixLength = (slots - 1).toString(16).length
  const links = node.Links.map((link): ShardLink => {
    const name = link.Name ?? ''
    const prefix = name.slice(0, prefixLength)
    if (name.length < prefixLength || !/^[0-9A-Fa-f]+$/.test(prefix) || Number.parseInt(prefix, 16) >= slots) {
      throw new MalformedDagError(`a folder shard has a link named "${name}", which names no slot`, cid.toString())
    }
    if (name.length === prefixLength) {
      if (link.Hash.code !== dagPb.code) throw new MalformedDagError(`a folder shard's slot ${name} points at a raw block, not a shard`, cid.toString())
      return { subShard: true, cid: link.Hash }
    }
    return { subShard: false, ...entryLink(cid, link, name.slice(prefixLength)) }
  })
  return { kind: 'shard', links, fanout: slots }
}

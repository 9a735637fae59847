/** Hand-built UnixFS blocks, honest or hostile, for tests of the DAG walker and the readers. */
import * as dagPb from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import type { DagPosition, DagWalker } from '../../app/core/transfer/dag-walker.ts'

export interface Block { cid: CID, bytes: Uint8Array }

/** Blocks by CID string; `put` returns the block so builders chain. */
export class Blocks {
  readonly map = new Map<string, Uint8Array>()

  async put (bytes: Uint8Array, code: number): Promise<Block> {
    const cid = CID.createV1(code, await sha256.digest(bytes))
    this.map.set(cid.toString(), bytes)
    return { cid, bytes }
  }

  get (cid: CID): Uint8Array {
    const bytes = this.map.get(cid.toString())
    if (bytes == null) throw new Error(`no block ${cid}`)
    return bytes
  }

  /** The same blocks as a BlockStore for the readers. */
  store (): { get(cid: CID): Promise<Uint8Array> } {
    return { get: async (cid: CID) => this.get(cid) }
  }

  async raw (bytes: Uint8Array): Promise<Block> {
    return this.put(bytes, raw.code)
  }

  /**
   * A dag-pb file node over `parts` (each with the size its parent declares).
   * `writtenFileSize` writes a filesize field that differs from the parts' sum
   * (protobuf: the last occurrence of a field wins).
   */
  async file (parts: Array<{ cid: CID, size: number | bigint }>, options: { data?: Uint8Array, writtenFileSize?: bigint, blockSizes?: bigint[] } = {}): Promise<Block> {
    const unixfs = new UnixFS({ type: 'file', data: options.data, blockSizes: options.blockSizes ?? parts.map(p => BigInt(p.size)) })
    let data = unixfs.marshal()
    if (options.writtenFileSize != null) data = concat(data, new Uint8Array([0x18, ...varint(options.writtenFileSize)]))
    return this.put(dagPb.encode({ Data: data, Links: parts.map(p => ({ Hash: p.cid, Tsize: 0 })) }), dagPb.code)
  }

  async directory (entries: Array<{ name: string, cid: CID, tsize?: number }>): Promise<Block> {
    const Links = entries.map(e => ({ Hash: e.cid, Name: e.name, Tsize: e.tsize ?? 0 }))
      .sort((a, b) => a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0)
    return this.put(dagPb.encode({ Data: new UnixFS({ type: 'directory' }).marshal(), Links }), dagPb.code)
  }

  /** A HAMT shard node with links named as given (slot prefix included). */
  async shard (links: Array<{ name: string, cid: CID, tsize?: number }>, fanout = 256n): Promise<Block> {
    const unixfs = new UnixFS({ type: 'hamt-sharded-directory', fanout, hashType: 0x22n, data: new Uint8Array(32) })
    const Links = links.map(l => ({ Hash: l.cid, Name: l.name, Tsize: l.tsize ?? 0 })).sort((a, b) => a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0)
    return this.put(dagPb.encode({ Data: unixfs.marshal(), Links }), dagPb.code)
  }

  /** Any dag-pb node, for the malformed ones. */
  async pb (node: dagPb.PBNode): Promise<Block> {
    return this.put(dagPb.encode(node), dagPb.code)
  }
}

/** One link repeated `times`: the node a file of zeros (or an attacker) writes. */
export function repeat<T> (item: T, times: number): T[] {
  return Array.from({ length: times }, () => item)
}

/**
 * Walk every position depth first as a download would, with an explicit
 * stack. `unread` accounts raw blocks of known length without their bytes (a
 * stored leaf). Returns the expansions made.
 */
export async function walk (walker: DagWalker, store: { get(cid: CID): Promise<Uint8Array> | Uint8Array }, options: { unread?: boolean } = {}): Promise<number> {
  const stack: DagPosition[] = [walker.root]
  let expansions = 0
  while (stack.length > 0) {
    const position = stack.pop() as DagPosition
    const unread = options.unread === true && position.cid.code === raw.code && position.expectedBytes != null
    const children = walker.expand(position, unread ? undefined : await store.get(position.cid))
    expansions++
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as DagPosition)
  }
  return expansions
}

function varint (value: bigint): number[] {
  const out: number[] = []
  while (value >= 0x80n) { out.push(Number(value & 0x7fn) | 0x80); value >>= 7n }
  out.push(Number(value))
  return out
}

function concat (a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength)
  out.set(a)
  out.set(b, a.byteLength)
  return out
}

import * as dagPb from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'
import { MAX_DAG_DEPTH, MAX_DAG_LINKS_PER_NODE, MAX_SHARE_BYTES, READ_AHEAD_BLOCKS } from '../constants.ts'
import { DagLimitError, MalformedDagError, UnsupportedContentError } from '../errors.ts'
import { decodeUnixfsNode, type UnixfsNode } from './unixfs-node.ts'
import type { AbortOptions } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

/** Where a reader takes blocks from: a BlockStore, or one that fetches missing blocks first. */
export interface BlockSource {
  get(cid: CID, options?: AbortOptions): Promise<Uint8Array>
}

export interface ReadRangeOptions extends AbortOptions {
  /** First byte (inclusive). Default 0. */
  start?: number
  /** Byte after the last one (exclusive), clamped to the file's size. Default: the file's size. */
  end?: number
  /** Blocks asked for ahead of the consumer. Default READ_AHEAD_BLOCKS. */
  readAhead?: number
}

/** One stored UnixFS file (raw leaf or dag-pb file DAG), opened by its root block. */
export interface UnixfsFile {
  readonly cid: CID
  /** The file's size in bytes, as its root declares it. */
  readonly size: number
  /** The bytes of [start, end), in order, read one block at a time with a small bounded read-ahead. */
  read(options?: ReadRangeOptions): AsyncGenerator<Uint8Array>
}

/**
 * Read the root block of a file and check it is one.
 *
 * @throws UnsupportedContentError (a folder or symlink) | MalformedDagError | DagLimitError; the source's errors (BlockNotFoundError)
 */
export async function openUnixfsFile (source: BlockSource, cid: CID, options: AbortOptions = {}): Promise<UnixfsFile> {
  const rootBlock = await source.get(cid, options)
  const root = decode(cid, rootBlock)
  if (root.kind !== 'raw' && root.kind !== 'file') throw new UnsupportedContentError(`${cid} is a ${root.kind === 'shard' ? 'directory' : root.kind}, not a file`)
  const size = root.kind === 'raw' ? BigInt(root.dataBytes) : root.fileSize
  if (size > BigInt(MAX_SHARE_BYTES)) throw new DagLimitError('bytes', MAX_SHARE_BYTES, { claimed: size, cid: cid.toString() })
  return {
    cid,
    size: Number(size),
    read: (readOptions = {}) => readRange(source, { cid, block: rootBlock, node: root }, Number(size), readOptions)
  }
}

/** A part of the file still to be read: its block (fetched ahead or not yet), where it starts, what it must hold. */
interface Part {
  cid: CID
  offset: number
  /** Bytes its parent's blockSizes give it (undefined for the root, which was checked on opening). */
  expected?: number
  depth: number
  block?: Promise<Uint8Array>
}

/**
 * Depth first over the parts that overlap [start, end), with an explicit
 * stack (file order: the next part on top). The next parts on the stack have
 * their blocks asked for while fewer than `readAhead` are out or held; with
 * the part being read that is at most readAhead + 1 blocks at any time
 * (right after a node's children go on top of siblings already asked for), so
 * memory stays a few blocks whatever the file's size and however slow the
 * consumer. Parts outside the range are never read:
 * their sizes come from the parent's blockSizes.
 */
async function * readRange (source: BlockSource, root: { cid: CID, block: Uint8Array, node: UnixfsNode }, size: number, options: ReadRangeOptions): AsyncGenerator<Uint8Array> {
  const start = Math.max(0, options.start ?? 0)
  const end = Math.min(size, options.end ?? size)
  if (start >= end) return
  const readAhead = Math.max(1, options.readAhead ?? READ_AHEAD_BLOCKS)
  const getOptions = { signal: options.signal }
  const stack: Part[] = [{ cid: root.cid, offset: 0, depth: 0, block: Promise.resolve(root.block) }]
  let started = 1
  let position = start
  try {
    while (stack.length > 0) {
      options.signal?.throwIfAborted()
      // ask for the next parts' blocks, nearest first, while fewer than readAhead are out or held
      for (let i = stack.length - 1; i >= 0 && started < readAhead; i--) {
        const part = stack[i] as Part
        if (part.block != null) continue
        part.block = source.get(part.cid, getOptions)
        part.block.catch(() => {}) // awaited in its turn; an early failure must not go unhandled meanwhile
        started++
      }
      const part = stack.pop() as Part
      const block = await (part.block ?? source.get(part.cid, getOptions))
      if (part.block != null) started--
      const node = part.depth === 0 ? root.node : decode(part.cid, block)
      checkPart(part, node)
      if (node.kind === 'raw') {
        const bytes = slice(block, part.offset, start, end)
        if (bytes.byteLength > 0) { position += bytes.byteLength; yield bytes }
        continue
      }
      if (node.kind !== 'file') continue // checkPart let only the root through, and it was a file
      if (node.dataBytes > 0) {
        const data = inlineData(block)
        const bytes = slice(data, part.offset, start, end)
        if (bytes.byteLength > 0) { position += bytes.byteLength; yield bytes }
      }
      const depth = part.depth + 1
      if (node.links.length > 0 && depth > MAX_DAG_DEPTH) throw new DagLimitError('depth', MAX_DAG_DEPTH, { cid: part.cid.toString() })
      const children: Part[] = []
      let offset = part.offset + node.dataBytes
      for (const [i, cid] of node.links.entries()) {
        const bytes = Number(node.blockSizes[i])
        // only parts overlapping [start, end); empty ones hold nothing to read
        if (offset < end && offset + bytes > start) children.push({ cid, offset, expected: bytes, depth })
        offset += bytes
        if (offset >= end) break
      }
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Part)
    }
    if (position !== end) throw new MalformedDagError(`the file's blocks hold ${position - start} of the ${end - start} bytes asked for`, root.cid.toString())
  } finally {
    // a consumer that stops early leaves blocks asked for: they settle on their own and are dropped
    stack.length = 0
  }
}

function decode (cid: CID, block: Uint8Array): UnixfsNode {
  return decodeUnixfsNode(cid, block, { maxLinks: MAX_DAG_LINKS_PER_NODE })
}

/** A part must be file data of exactly the size its parent declared. */
function checkPart (part: Part, node: UnixfsNode): void {
  if (part.expected == null) return
  if (node.kind !== 'raw' && node.kind !== 'file') throw new MalformedDagError(`a ${node.kind} sits where file data belongs`, part.cid.toString())
  const holds = node.kind === 'raw' ? BigInt(node.dataBytes) : node.fileSize
  if (holds !== BigInt(part.expected)) throw new MalformedDagError(`a block holds ${holds} bytes where ${part.expected} were declared`, part.cid.toString())
}

/** The bytes of a block at file offset `offset` that fall inside [start, end), without copying. */
function slice (bytes: Uint8Array, offset: number, start: number, end: number): Uint8Array {
  const from = Math.max(0, start - offset)
  const to = Math.min(bytes.byteLength, end - offset)
  return to > from ? bytes.subarray(from, to) : bytes.subarray(0, 0)
}

/** A dag-pb file node's inline data (decodeUnixfsNode has checked that it decodes). */
function inlineData (block: Uint8Array): Uint8Array {
  return UnixFS.unmarshal(dagPb.decode(block).Data as Uint8Array).data ?? new Uint8Array(0)
}

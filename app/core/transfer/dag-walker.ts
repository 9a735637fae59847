import * as raw from 'multiformats/codecs/raw'
import { decodeUnixfsNode, type EntryLink, type ShardLink, type UnixfsNode } from '../content/unixfs-node.ts'
import { DagLimitError, MalformedDagError } from '../errors.ts'
import { dagLimits, type DagLimits } from './dag-limits.ts'
import { positionKey, type DagPosition, type DagRole } from './dag-position.ts'
import type { CID } from 'multiformats/cid'

export type { DagLimits } from './dag-limits.ts'
export { positionKey, mergePositions, type DagPosition, type DagRole } from './dag-position.ts'

/** A child link before identical siblings are merged. */
interface Link { cid: CID, role: DagRole, expectedBytes?: number }

/**
 * Walks a UnixFS DAG one verified block at a time and accounts for it, with
 * bounds on everything the DAG claims (DagLimits): depth, links per node,
 * blocks expanded and blocks counting repeats, entries, and the share's
 * declared size, checked as each block arrives. No recursion and no argument
 * spread: the caller holds the positions waiting for blocks, in any order.
 *
 * Identical sibling links are one position with `copies`, and copies multiply
 * down, so a DAG repeating one link 1,000 times 3 levels deep is 4 expansions
 * accounting 10^9 leaves, and the declared-size bound decides at once.
 *
 * Checks (MalformedDagError): a file node's links and blockSizes pair up; a
 * part (raw leaf or file node) holds exactly the bytes its parent's blockSizes
 * give it; a raw entry is as long as its Tsize; file parts are files, shards
 * are shards (content/unixfs-node.ts checks each block on its own).
 *
 * Typical use: keep the positions waiting for blocks (one want per CID; under
 * it, positions with equal positionKey merged by mergePositions); when a
 * verified block arrives, expand every position waiting for it and queue the
 * children. `bytes` is progress, `total` the size once known.
 */
export class DagWalker {
  readonly root: DagPosition
  readonly limits: Readonly<DagLimits>
  private accounted = 0
  private declared = 0
  /** Entries (copies-weighted) whose root has not been expanded: the total is unknown until none is left. */
  private unresolved = 1
  private expanded = 0
  private weightedBlocks = 1
  private weightedEntries = 1
  private failure: Error | undefined

  constructor (root: CID, limits: Partial<DagLimits> = {}) {
    this.limits = dagLimits(limits)
    this.root = { cid: root, role: 'entry', copies: 1, depth: 0 }
  }

  /** File bytes accounted so far, repeats included. */
  get bytes (): number { return this.accounted }

  /** The share's declared file bytes once every entry's root has been expanded (and the DAG not refused), else undefined. */
  get total (): number | undefined { return this.unresolved === 0 && this.failure == null ? this.declared : undefined }

  /** Declared file bytes of the entries expanded so far (a lower bound of the total). */
  get declaredBytes (): number { return this.declared }

  /** Positions expanded. */
  get visits (): number { return this.expanded }

  /** Positions created, repeats included (the root counts). */
  get blocks (): number { return this.weightedBlocks }

  /** Entries created, repeats included (the root counts). */
  get entries (): number { return this.weightedEntries }

  /**
   * Account for the verified block at `position` and return its children in
   * DAG order, identical siblings merged. `block` may be undefined only for a
   * raw block whose length is `position.expectedBytes` (a stored leaf need not
   * be read back: the caller vouches for its length).
   *
   * Once it has thrown a DagLimitError or MalformedDagError the walker is
   * spent: every later call throws the same error and `total` stays undefined.
   *
   * @throws DagLimitError | MalformedDagError; TypeError when `block` is missing but needed
   */
  expand (position: DagPosition, block: Uint8Array | undefined): DagPosition[] {
    if (this.failure != null) throw this.failure
    try {
      return this.account(position, block)
    } catch (err) {
      if (!(err instanceof TypeError)) this.failure = err as Error // the DAG is refused: every later call says so
      throw err
    }
  }

  private account (position: DagPosition, block: Uint8Array | undefined): DagPosition[] {
    this.expanded++
    if (this.expanded > this.limits.maxVisits) throw new DagLimitError('visits', this.limits.maxVisits)
    const node = this.decode(position, block)
    const cid = position.cid.toString()
    if (node.kind === 'raw' && position.expectedBytes != null && node.dataBytes !== position.expectedBytes) {
      throw new MalformedDagError(`a block holds ${node.dataBytes} bytes where ${position.expectedBytes} were declared`, cid)
    }
    if (position.role === 'entry') {
      this.unresolved -= position.copies
      if (node.kind === 'raw') this.claim(BigInt(node.dataBytes), position)
      if (node.kind === 'file') this.claim(node.fileSize, position)
    } else if (position.role === 'part') {
      if (node.kind !== 'raw' && node.kind !== 'file') throw new MalformedDagError(`a ${node.kind} sits where file data belongs`, cid)
      if (node.kind === 'file' && node.fileSize !== BigInt(position.expectedBytes ?? -1)) {
        throw new MalformedDagError(`a file block holds ${node.fileSize} bytes where ${position.expectedBytes} were declared`, cid)
      }
    } else if (node.kind !== 'shard') {
      throw new MalformedDagError(`a ${node.kind} sits where a folder shard belongs`, cid)
    }
    if (node.kind === 'raw' || node.kind === 'file') this.accounted += node.dataBytes * position.copies
    return this.children(position, links(node))
  }

  private decode (position: DagPosition, block: Uint8Array | undefined): UnixfsNode {
    if (block != null) return decodeUnixfsNode(position.cid, block, { maxLinks: this.limits.maxLinksPerNode })
    if (position.cid.code !== raw.code || position.expectedBytes == null) {
      throw new TypeError(`block ${position.cid} must be given: only a raw block of known length can be accounted unread`)
    }
    return { kind: 'raw', dataBytes: position.expectedBytes }
  }

  /** An entry's declared size joins the share's, at once: a 2^53-byte claim fails before any of it is fetched. */
  private claim (size: bigint, position: DagPosition): void {
    const claimed = BigInt(this.declared) + size * BigInt(position.copies)
    if (claimed > BigInt(this.limits.maxTotalBytes)) {
      throw new DagLimitError('bytes', this.limits.maxTotalBytes, { claimed, cid: position.cid.toString() })
    }
    this.declared = Number(claimed)
  }

  /** Merge identical siblings (first occurrence keeps its place), then check the bounds before any child is fetched. */
  private children (parent: DagPosition, childLinks: Link[]): DagPosition[] {
    if (childLinks.length === 0) return []
    const depth = parent.depth + 1
    if (depth > this.limits.maxDepth) throw new DagLimitError('depth', this.limits.maxDepth, { cid: parent.cid.toString() })
    const merged = new Map<string, { link: Link, repeats: number }>()
    for (const link of childLinks) {
      const key = positionKey({ ...link, copies: 1, depth })
      const seen = merged.get(key)
      if (seen != null) seen.repeats++
      else merged.set(key, { link, repeats: 1 })
    }
    const out: DagPosition[] = []
    let blocks = 0
    let entries = 0
    for (const { link, repeats } of merged.values()) {
      const copies = parent.copies * repeats // < maxBlocks x maxLinksPerNode: exact (dagLimits)
      blocks += copies
      if (link.role === 'entry') entries += copies
      out.push(link.expectedBytes == null ? { cid: link.cid, role: link.role, copies, depth } : { ...link, copies, depth })
    }
    this.weightedBlocks += blocks
    if (this.weightedBlocks > this.limits.maxBlocks) throw new DagLimitError('blocks', this.limits.maxBlocks, { cid: parent.cid.toString() })
    this.weightedEntries += entries
    if (this.weightedEntries > this.limits.maxEntries) throw new DagLimitError('entries', this.limits.maxEntries, { cid: parent.cid.toString() })
    this.unresolved += entries
    return out
  }
}

/** A node's links as positions-to-be: file parts with their sizes, folder entries, shard entries and sub-shards. */
function links (node: UnixfsNode): Link[] {
  switch (node.kind) {
    case 'file':
      return node.links.map((cid, i) => ({ cid, role: 'part', expectedBytes: Number(node.blockSizes[i]) }))
    case 'directory':
      return node.links.map(entry)
    case 'shard':
      return node.links.map((link: ShardLink): Link => link.subShard ? { cid: link.cid, role: 'shard' } : entry(link))
    default:
      return []
  }
}

function entry (link: EntryLink): Link {
  return link.rawBytes == null ? { cid: link.cid, role: 'entry' } : { cid: link.cid, role: 'entry', expectedBytes: link.rawBytes }
}

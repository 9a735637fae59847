import type { CID } from 'multiformats/cid'

/**
 * What a block is expected to be, from the link that led to it:
 * - `entry`: the share's root or a folder's entry (a file, folder or symlink
 *   root). Its declared size adds to the share's total.
 * - `part`: a piece of a file (raw leaf or dag-pb file node) holding exactly
 *   `expectedBytes` of it.
 * - `shard`: a deeper HAMT shard of a sharded folder (its links are entries
 *   or shards again).
 */
export type DagRole = 'entry' | 'part' | 'shard'

/** A place in the DAG waiting for its block. */
export interface DagPosition {
  readonly cid: CID
  readonly role: DagRole
  /**
   * How many times this position occurs in the share: identical sibling links
   * are one position (a file of zeros links one leaf CID thousands of times),
   * and copies multiply down (a child's copies are its parent's times its
   * repeats among its siblings).
   */
  readonly copies: number
  /** Levels below the share root (the root is 0). */
  readonly depth: number
  /**
   * Bytes the block (or its subtree) must hold, from its parent: a part's
   * blockSizes entry, a raw entry's Tsize. Undefined for dag-pb entries and shards.
   */
  readonly expectedBytes?: number
}

/**
 * Positions with equal keys can wait for one block as one position
 * (mergePositions); a scheduler keeps one want per CID and, under it, one
 * position per key. Two keys for one CID (a file that is both an entry and a
 * part elsewhere) are expanded separately when the block arrives.
 */
export function positionKey (position: DagPosition): string {
  return `${position.cid.toString()} ${position.role} ${position.expectedBytes ?? ''}`
}

/**
 * One position standing for both: copies add up, and the deeper depth is
 * kept (the depth bound must hold for every occurrence). Merging never
 * changes what the walk accounts, only how many times a block is expanded.
 *
 * @throws TypeError when the keys differ
 */
export function mergePositions (a: DagPosition, b: DagPosition): DagPosition {
  if (positionKey(a) !== positionKey(b)) throw new TypeError(`positions ${positionKey(a)} and ${positionKey(b)} cannot be merged`)
  return { ...a, copies: a.copies + b.copies, depth: Math.max(a.depth, b.depth) }
}

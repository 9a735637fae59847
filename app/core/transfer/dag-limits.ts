import {
  MAX_DAG_BLOCKS, MAX_DAG_DEPTH, MAX_DAG_LINKS_PER_NODE, MAX_DAG_VISITS, MAX_SHARE_BYTES, MAX_SHARE_ENTRIES
} from '../constants.ts'

/** The bounds a DagWalker enforces; each default (app/core/constants.ts) says why. */
export interface DagLimits {
  /** Levels below the root: folders, shards and file nodes. Default MAX_DAG_DEPTH (64). */
  maxDepth: number
  /** Links in one block. Default MAX_DAG_LINKS_PER_NODE (16,384). */
  maxLinksPerNode: number
  /** Positions expanded in all (each a block fetched or read). Default MAX_DAG_VISITS (2^23). */
  maxVisits: number
  /** Blocks counting repeats (copies-weighted positions). Default MAX_DAG_BLOCKS (2^26). */
  maxBlocks: number
  /** Declared file bytes of the share, repeats included. Default MAX_SHARE_BYTES (1 TiB). */
  maxTotalBytes: number
  /** Files, folders and symlinks, repeats included (the root counts). Default MAX_SHARE_ENTRIES (2^18). */
  maxEntries: number
}

export const DEFAULT_DAG_LIMITS: Readonly<DagLimits> = Object.freeze({
  maxDepth: MAX_DAG_DEPTH,
  maxLinksPerNode: MAX_DAG_LINKS_PER_NODE,
  maxVisits: MAX_DAG_VISITS,
  maxBlocks: MAX_DAG_BLOCKS,
  maxTotalBytes: MAX_SHARE_BYTES,
  maxEntries: MAX_SHARE_ENTRIES
})

/**
 * The defaults with `overrides` applied. Every count stays an exact Number:
 * a position's copies never pass maxBlocks, so a child's copies (copies x
 * repeats) stay below maxBlocks x maxLinksPerNode, which must be a safe integer.
 *
 * @throws RangeError for a bound that is not a positive safe integer, or too large to keep counts exact
 */
export function dagLimits (overrides: Partial<DagLimits> = {}): Readonly<DagLimits> {
  const limits = { ...DEFAULT_DAG_LIMITS, ...overrides }
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive safe integer, not ${value}`)
  }
  if (!Number.isSafeInteger(limits.maxBlocks * limits.maxLinksPerNode)) {
    throw new RangeError('maxBlocks x maxLinksPerNode must stay below 2^53 so copies are counted exactly')
  }
  return Object.freeze(limits)
}

import { decodeDagNode } from '../content/dag-node.ts'
import type { CID } from 'multiformats/cid'

/** A position in the DAG waiting for its block. */
export interface DagItem {
  cid: CID
  /** A directory entry (file or folder root): its size is part of the total. */
  entry: boolean
  /** Tsize from the parent link: exact for raw leaves. */
  size?: number
}

/**
 * What a download knows of the DAG so far: the file bytes stored, and the
 * share's total once every directory entry's root has been seen.
 */
export class DagTally {
  /** File bytes stored (fetched now or found stored). */
  bytes = 0
  private totalBytes = 0
  /** Directory entries whose root has not been seen yet: the total is unknown until none is left. */
  private unresolvedEntries = 1

  /** The share's file bytes, once known. */
  get total (): number | undefined {
    return this.unresolvedEntries === 0 ? this.totalBytes : undefined
  }

  /**
   * Account for a stored block and return its children, in DAG order. A raw
   * leaf known only by its size (not read back from the store) is `block`
   * undefined with its `dataBytes`.
   */
  expand (item: DagItem, block: Uint8Array | undefined, dataBytes?: number): DagItem[] {
    const node = block == null ? { links: [], dataBytes: dataBytes ?? 0, kind: 'raw' as const } : decodeDagNode(item.cid, block)
    this.bytes += node.dataBytes
    if (item.entry) {
      this.unresolvedEntries--
      if (node.kind === 'file') this.totalBytes += node.fileSize ?? 0
      else if (node.kind === 'raw') this.totalBytes += node.dataBytes
    }
    const childrenAreEntries = item.entry && node.kind === 'directory'
    if (childrenAreEntries) this.unresolvedEntries += node.links.length
    return node.links.map(link => ({ cid: link.cid, entry: childrenAreEntries, size: link.size }))
  }
}

/** The public types of what a peer holds (the library) and what it serves (upload activity). */
import type { AbortOptions, TypedEventTarget } from '@libp2p/interface'

/**
 * Where a library item is: 'sharing' (complete and announced), 'stopped'
 * (complete, not announced: the user stopped sharing it), 'downloading'
 * (queued or running), 'paused', 'failed', 'picked' (its download ended
 * with the files the person picked stored, and only those).
 */
export type LibraryState = 'sharing' | 'stopped' | 'downloading' | 'paused' | 'failed' | 'picked'

/** One root this browser holds: something shared from here or downloaded. */
export interface LibraryItem {
  cid: string
  /** The file paths inside it (empty until a download has its file list). */
  names: string[]
  /** Its files with their sizes and CIDs, as `names` (a SharedFile each): what Save and Open offer. */
  files: Array<{ path: string, size: number, cid: string }>
  totalBytes: number
  origin: 'shared' | 'downloaded'
  state: LibraryState
  /** Whether it is announced (and re-announced at start-up). */
  sharing: boolean
  updatedAt: number
}

export interface LibraryEvents {
  /** An item was added, removed or changed state. */
  change: CustomEvent<{ cid: string }>
}

export interface DeleteResult {
  /** Blocks removed from the store (the ones no other item needed). */
  blocksDeleted: number
}

/** Everything this browser holds, and what it announces. */
export interface Library extends TypedEventTarget<LibraryEvents> {
  /** Newest first. */
  list(options?: AbortOptions): Promise<LibraryItem[]>
  /** Announce it no more (it stays stored and listed). @throws NotInLibraryError */
  stopSharing(cid: string, options?: AbortOptions): Promise<void>
  /** Announce it again, now and at every start-up. @throws NotInLibraryError */
  shareAgain(cid: string, options?: AbortOptions): Promise<void>
  /**
   * Cancel its download if one runs, forget it, and delete every block no
   * other item (or running download) needs.
   */
  delete(cid: string, options?: AbortOptions): Promise<DeleteResult>
}

/** One remote peer downloading one of this peer's shares, as seen from here (sharer activity). */
export interface UploadEntry {
  /** The downloading peer's id. */
  peer: string
  /** The library item (root CID) it downloads. A block in two items counts for both. */
  cid: string
  /** Block bytes sent to that peer for that item since it started asking (its other sources are not seen here). */
  bytes: number
  blocks: number
  /** `bytes` over the item's stored block bytes, 0 to 1; absent while the item is not indexed. */
  fraction?: number
  /** How the bytes travel, once known: WebRTC direct, or through a TURN server. */
  route?: 'direct' | 'turn'
  /** Date.now() of its first and latest block. It expires SERVE_ACTIVITY_IDLE_MS after the latest. */
  startedAt: number
  lastAt: number
}

/** What this peer uploads: downloads of its shares under way, and totals since it started. */
export interface UploadActivity {
  /** Block bytes served to anyone since start (every share, every peer). */
  bytesServed: number
  blocksServed: number
  /** Most recent first. */
  downloads: UploadEntry[]
}

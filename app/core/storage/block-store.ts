import type { AbortOptions } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'
import type { SharedFile } from '../types.ts'

/**
 * Where verified blocks live. Implementations: IndexedDB (browser) and memory
 * (tests, CLI). One compliance suite (test/unit/block-store.test.ts) runs
 * against both. Callers verify blocks before `put`; the store trusts its input.
 */
export interface BlockStore {
  has(cid: CID, options?: AbortOptions): Promise<boolean>
  /** @throws BlockNotFoundError when absent */
  get(cid: CID, options?: AbortOptions): Promise<Uint8Array>
  /** @throws QuotaExceededError when storage is full */
  put(cid: CID, bytes: Uint8Array, options?: AbortOptions): Promise<void>
  delete(cid: CID, options?: AbortOptions): Promise<void>
  /** Every stored block's CID (a snapshot taken when iteration starts; blocks put meanwhile may be missing). */
  keys(options?: AbortOptions): AsyncIterable<CID>
  close(): Promise<void>
}

export interface ShareRecord {
  /** Root CID (the wrapping directory). */
  cid: string
  /** Filled once the root and file nodes are known. */
  files: SharedFile[]
  totalBytes: number
  /** 'shared' = imported here; 'downloaded' = fetched from peers. */
  origin: 'shared' | 'downloaded'
  /** Every block of the DAG is stored and verified. */
  complete: boolean
  /** An unfinished download the user paused: a reload keeps it paused instead of resuming it. */
  paused?: boolean
  /** Why the unfinished download failed: a reload shows it failed, with the same sentence, instead of queueing it again. */
  failure?: RecordedFailure
  /** The files (safe paths) the user picked to download; absent means all. Set, the share may stay incomplete. */
  selection?: string[]
  /** false once the user stopped sharing it: it is neither announced nor re-announced. Absent means sharing. */
  sharing?: boolean
  updatedAt: number
}

/** An error as a record keeps it: `name` (the UI's key to its sentence), message, and its primitive details. */
export interface RecordedFailure {
  name: string
  message: string
  details?: Record<string, string | number | boolean>
}

/** The roots this peer knows about: re-provided at start-up when complete. */
export interface ShareRecordStore {
  putShare(record: ShareRecord, options?: AbortOptions): Promise<void>
  getShare(cid: string, options?: AbortOptions): Promise<ShareRecord | undefined>
  listShares(options?: AbortOptions): Promise<ShareRecord[]>
  deleteShare(cid: string, options?: AbortOptions): Promise<void>
}

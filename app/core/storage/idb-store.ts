import { CID } from 'multiformats/cid'
import { openDB, type DBSchema, type IDBPDatabase } from 'idb'
import { BlockNotFoundError, QuotaExceededError } from '../errors.ts'
import type { BlockStore, ShareRecord, ShareRecordStore } from './block-store.ts'

const DB_VERSION = 1
/**
 * Writes are committed in shared transactions: one transaction per 256 KiB
 * block costs Chromium 21 ms of CPU per MB, 8 per transaction 11 ms, 16 10 ms
 * (`docs/performance.md`). A batch is written once it holds this many blocks...
 */
const WRITE_BATCH_BLOCKS = 8
const WRITE_BATCH_BYTES = 4 * 1024 * 1024
/**
 * ...or once its first put has waited this long (blocks of a download arrive
 * ~15 ms apart at 17 MB/s, so 3-4 share one). A put into a quiet store is written at once, so the
 * first block of a download is not held back. Reads see pending blocks at once.
 */
export const WRITE_BATCH_DELAY_MS = 50

interface ChiralDB extends DBSchema {
  blocks: { key: string, value: Uint8Array }
  shares: { key: string, value: ShareRecord }
  meta: { key: string, value: Uint8Array }
}

interface PendingGet {
  key: string
  resolve: (bytes: Uint8Array | undefined) => void
  reject: (err: Error) => void
}

interface PendingPut {
  key: string
  bytes: Uint8Array
  resolve: () => void
  reject: (err: Error) => void
}

/**
 * Blocks, share records and the peer identity in one IndexedDB database.
 * Concurrent puts are coalesced into shared transactions.
 */
export class IdbStore implements BlockStore, ShareRecordStore {
  private readonly db: IDBPDatabase<ChiralDB>
  private pending: PendingPut[] = []
  private pendingBytes = 0
  private flushTimer: ReturnType<typeof setTimeout> | undefined
  private lastPutAt = -Infinity
  /** Gets asked for in the same turn share one read transaction (reads of several blocks cost less each). */
  private pendingGets: PendingGet[] = []
  /** Blocks written but not yet committed, so reads see them at once. */
  private readonly inFlight = new Map<string, Uint8Array>()

  constructor (db: IDBPDatabase<ChiralDB>) {
    this.db = db
  }

  async has (cid: CID): Promise<boolean> {
    const key = cid.toString()
    if (this.inFlight.has(key)) return true
    return (await this.db.getKey('blocks', key)) != null
  }

  async get (cid: CID): Promise<Uint8Array> {
    const key = cid.toString()
    const bytes = this.inFlight.get(key) ?? await this.read(key)
    if (bytes == null) throw new BlockNotFoundError(key)
    return bytes
  }

  private async read (key: string): Promise<Uint8Array | undefined> {
    return new Promise((resolve, reject) => {
      if (this.pendingGets.length === 0) queueMicrotask(() => { this.readPending() })
      this.pendingGets.push({ key, resolve, reject })
    })
  }

  private readPending (): void {
    const batch = this.pendingGets
    this.pendingGets = []
    try {
      const store = this.db.transaction('blocks').store
      for (const item of batch) store.get(item.key).then(item.resolve, item.reject)
    } catch (err) {
      for (const item of batch) item.reject(asError(err)) // the database is closing
    }
  }

  async put (cid: CID, bytes: Uint8Array): Promise<void> {
    const key = cid.toString()
    // Structured clone stores a view's whole ArrayBuffer: keep exactly the block.
    const exact = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice()
    this.inFlight.set(key, exact)
    return new Promise((resolve, reject) => {
      const now = performance.now()
      const quiet = this.pending.length === 0 && now - this.lastPutAt > WRITE_BATCH_DELAY_MS
      this.lastPutAt = now
      this.pending.push({ key, bytes: exact, resolve, reject })
      this.pendingBytes += exact.byteLength
      if (this.pending.length >= WRITE_BATCH_BLOCKS || this.pendingBytes >= WRITE_BATCH_BYTES) {
        this.flush()
      } else if (this.flushTimer == null) {
        // puts made in the same turn still share the transaction of a quiet store
        this.flushTimer = setTimeout(() => this.flush(), quiet ? 0 : WRITE_BATCH_DELAY_MS)
      }
    })
  }

  async delete (cid: CID): Promise<void> {
    await this.db.delete('blocks', cid.toString())
  }

  async * keys (): AsyncGenerator<CID> {
    const keys = new Set([...this.inFlight.keys(), ...await this.db.getAllKeys('blocks')])
    for (const key of keys) yield CID.parse(key)
  }

  async putShare (record: ShareRecord): Promise<void> {
    await this.db.put('shares', record, record.cid)
  }

  async getShare (cid: string): Promise<ShareRecord | undefined> {
    return this.db.get('shares', cid)
  }

  async listShares (): Promise<ShareRecord[]> {
    return this.db.getAll('shares')
  }

  async deleteShare (cid: string): Promise<void> {
    await this.db.delete('shares', cid)
  }

  async getMeta (key: string): Promise<Uint8Array | undefined> {
    return this.db.get('meta', key)
  }

  async putMeta (key: string, value: Uint8Array): Promise<void> {
    await this.db.put('meta', value, key)
  }

  async close (): Promise<void> {
    this.flush()
    this.db.close()
  }

  private flush (): void {
    clearTimeout(this.flushTimer)
    this.flushTimer = undefined
    const batch = this.pending
    if (batch.length === 0) return
    this.pending = []
    this.pendingBytes = 0
    const tx = this.db.transaction('blocks', 'readwrite')
    for (const item of batch) tx.store.put(item.bytes, item.key).catch(() => {}) // failures surface on tx.done
    tx.done.then(
      () => { for (const item of batch) { this.inFlight.delete(item.key); item.resolve() } },
      (err: unknown) => {
        const error = isQuotaError(err, tx.error) ? new QuotaExceededError(err) : asError(err)
        for (const item of batch) { this.inFlight.delete(item.key); item.reject(error) }
      }
    )
  }
}

export async function openIdbStore (name = 'chiral'): Promise<IdbStore> {
  const db = await openDB<ChiralDB>(name, DB_VERSION, {
    upgrade (db) {
      db.createObjectStore('blocks')
      db.createObjectStore('shares')
      db.createObjectStore('meta')
    }
  })
  return new IdbStore(db)
}

function isQuotaError (...errors: unknown[]): boolean {
  return errors.some(e => e instanceof Error && e.name === 'QuotaExceededError')
}

function asError (err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err))
}

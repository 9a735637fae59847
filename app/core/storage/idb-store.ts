import { CID } from 'multiformats/cid'
import { openDB, type DBSchema, type IDBPDatabase } from 'idb'
import { BlockNotFoundError, QuotaExceededError } from '../errors.ts'
import type { BlockStore, ShareRecord, ShareRecordStore } from './block-store.ts'

const DB_VERSION = 1
/** One transaction per block halves IndexedDB write throughput: batch up to this many. */
const MAX_BATCH_BLOCKS = 64
const MAX_BATCH_BYTES = 16 * 1024 * 1024

interface ChiralDB extends DBSchema {
  blocks: { key: string, value: Uint8Array }
  shares: { key: string, value: ShareRecord }
  meta: { key: string, value: Uint8Array }
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
  private flushScheduled = false
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
    const bytes = this.inFlight.get(key) ?? await this.db.get('blocks', key)
    if (bytes == null) throw new BlockNotFoundError(key)
    return bytes
  }

  async put (cid: CID, bytes: Uint8Array): Promise<void> {
    const key = cid.toString()
    // Structured clone stores a view's whole ArrayBuffer: keep exactly the block.
    const exact = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice()
    this.inFlight.set(key, exact)
    return new Promise((resolve, reject) => {
      this.pending.push({ key, bytes: exact, resolve, reject })
      this.pendingBytes += exact.byteLength
      if (this.pending.length >= MAX_BATCH_BLOCKS || this.pendingBytes >= MAX_BATCH_BYTES) {
        this.flush()
      } else if (!this.flushScheduled) {
        this.flushScheduled = true
        setTimeout(() => this.flush(), 0)
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
    this.flushScheduled = false
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

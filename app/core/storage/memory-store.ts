import { CID } from 'multiformats/cid'
import { BlockNotFoundError } from '../errors.ts'
import type { BlockStore, ShareRecord, ShareRecordStore } from './block-store.ts'

/** In-memory store for tests and the CLI; same contract as the IndexedDB store. */
export class MemoryStore implements BlockStore, ShareRecordStore {
  private readonly blocks = new Map<string, Uint8Array>()
  private readonly shares = new Map<string, ShareRecord>()

  async has (cid: CID): Promise<boolean> {
    return this.blocks.has(cid.toString())
  }

  async get (cid: CID): Promise<Uint8Array> {
    const bytes = this.blocks.get(cid.toString())
    if (bytes == null) throw new BlockNotFoundError(cid.toString())
    return bytes
  }

  async put (cid: CID, bytes: Uint8Array): Promise<void> {
    this.blocks.set(cid.toString(), bytes.slice())
  }

  async delete (cid: CID): Promise<void> {
    this.blocks.delete(cid.toString())
  }

  async * keys (): AsyncGenerator<CID> {
    for (const key of [...this.blocks.keys()]) yield CID.parse(key)
  }

  async putShare (record: ShareRecord): Promise<void> {
    this.shares.set(record.cid, structuredClone(record))
  }

  async getShare (cid: string): Promise<ShareRecord | undefined> {
    const record = this.shares.get(cid)
    return record == null ? undefined : structuredClone(record)
  }

  async listShares (): Promise<ShareRecord[]> {
    return [...this.shares.values()].map(r => structuredClone(r))
  }

  async deleteShare (cid: string): Promise<void> {
    this.shares.delete(cid)
  }

  async close (): Promise<void> {}
}

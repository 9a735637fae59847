import 'fake-indexeddb/auto'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it, vi } from 'vitest'
import { IdbStore, openIdbStore, WRITE_BATCH_DELAY_MS } from '../../app/core/storage/idb-store.ts'
import { MemoryStore } from '../../app/core/storage/memory-store.ts'
import { patternBytes } from '../helpers/bytes.ts'
import type { BlockStore, ShareRecordStore } from '../../app/core/storage/block-store.ts'

async function block (seed: number, size = 1000): Promise<{ cid: CID, bytes: Uint8Array }> {
  const bytes = patternBytes(size, seed)
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
}

let dbCounter = 0
const implementations: Array<[string, () => Promise<BlockStore & ShareRecordStore>]> = [
  ['MemoryStore', async () => new MemoryStore()],
  // fake-indexeddb implements the IndexedDB API in Node; real IndexedDB is exercised in the e2e tests
  ['IdbStore', async () => openIdbStore(`test-${++dbCounter}`)]
]

describe.each(implementations)('BlockStore compliance: %s', (_name, open) => {
  it('round-trips a block and reports presence', async () => {
    const store = await open()
    const { cid, bytes } = await block(1)
    expect(await store.has(cid)).toBe(false)
    await store.put(cid, bytes)
    expect(await store.has(cid)).toBe(true)
    expect(await store.get(cid)).toEqual(bytes)
    await store.close()
  })

  it('throws BlockNotFoundError for a missing block', async () => {
    const store = await open()
    const { cid } = await block(2)
    await expect(store.get(cid)).rejects.toHaveProperty('name', 'BlockNotFoundError')
    await store.close()
  })

  it('stores exactly the bytes of a view, not its whole buffer', async () => {
    const store = await open()
    const backing = patternBytes(10_000, 3)
    const view = backing.subarray(100, 1100)
    const cid = CID.createV1(raw.code, await sha256.digest(view))
    await store.put(cid, view)
    const stored = await store.get(cid)
    expect(stored.byteLength).toBe(1000)
    expect(stored.buffer.byteLength).toBe(1000)
    expect(stored).toEqual(view)
    await store.close()
  })

  it('lists the keys of every stored block, including ones still being written, and none deleted', async () => {
    const store = await open()
    const blocks = await Promise.all([1, 2, 3].map(async i => block(200 + i)))
    for (const b of blocks.slice(0, 2)) await store.put(b.cid, b.bytes)
    const writing = store.put(blocks[2]!.cid, blocks[2]!.bytes) // not awaited: a write in flight is listed too
    await store.delete(blocks[0]!.cid)
    const keys: string[] = []
    for await (const cid of store.keys()) keys.push(cid.toString())
    expect(keys.sort()).toEqual([blocks[1]!.cid.toString(), blocks[2]!.cid.toString()].sort())
    await writing
    await store.close()
  })

  it('keeps every block of many concurrent puts', async () => {
    const store = await open()
    const blocks = await Promise.all(Array.from({ length: 150 }, async (_, i) => block(100 + i, 4096)))
    await Promise.all(blocks.map(async b => store.put(b.cid, b.bytes)))
    for (const b of blocks) expect(await store.get(b.cid)).toEqual(b.bytes)
    await store.close()
  })

  it('deletes a block', async () => {
    const store = await open()
    const { cid, bytes } = await block(4)
    await store.put(cid, bytes)
    await store.delete(cid)
    expect(await store.has(cid)).toBe(false)
    await store.close()
  })

  it('keeps share records', async () => {
    const store = await open()
    const record = { cid: 'bafy-test', files: [{ path: 'a', size: 1, cid: 'bafk-a' }], totalBytes: 1, origin: 'shared' as const, complete: true, updatedAt: 1 }
    await store.putShare(record)
    expect(await store.getShare('bafy-test')).toEqual(record)
    expect(await store.getShare('missing')).toBeUndefined()
    await store.putShare({ ...record, complete: false })
    expect(await store.listShares()).toEqual([{ ...record, complete: false }])
    await store.close()
  })
})

describe('IdbStore', () => {
  it('persists blocks and metadata across reopening', async () => {
    const name = `persist-${++dbCounter}`
    const first = await openIdbStore(name)
    const { cid, bytes } = await block(5)
    await first.put(cid, bytes)
    await first.putMeta('identity', Uint8Array.of(1, 2, 3))
    await first.close()
    const second = await openIdbStore(name)
    expect(second).toBeInstanceOf(IdbStore)
    expect(await second.get(cid)).toEqual(bytes)
    expect(await second.getMeta('identity')).toEqual(Uint8Array.of(1, 2, 3))
    await second.close()
  })

  describe('shared transactions', () => {
    const transactions = (mode: IDBTransactionMode) => {
      const spy = vi.spyOn(IDBDatabase.prototype, 'transaction')
      return { count: () => spy.mock.calls.filter(([stores, m]) => stores === 'blocks' && (m ?? 'readonly') === mode).length, restore: () => { spy.mockRestore() } }
    }

    it('writes a put into a quiet store at once, and a burst of puts in shared transactions', async () => {
      const store = await openIdbStore(`batches-${++dbCounter}`)
      const blocks = await Promise.all(Array.from({ length: 12 }, async (_, i) => block(100 + i)))
      const writes = transactions('readwrite')
      try {
        const started = performance.now()
        await store.put(blocks[0]!.cid, blocks[0]!.bytes)
        expect(performance.now() - started).toBeLessThan(WRITE_BATCH_DELAY_MS) // not held back for company
        expect(writes.count()).toBe(1)
        // a burst right after: eight fill a batch, the last three share one more
        await Promise.all(blocks.slice(1).map(async b => store.put(b.cid, b.bytes)))
        expect(writes.count()).toBe(3)
        for (const b of blocks) expect(await store.get(b.cid)).toEqual(b.bytes)
      } finally {
        writes.restore()
        await store.close()
      }
    })

    it('reads the blocks asked for in the same turn in one transaction', async () => {
      const store = await openIdbStore(`reads-${++dbCounter}`)
      const blocks = await Promise.all(Array.from({ length: 4 }, async (_, i) => block(200 + i)))
      await Promise.all(blocks.map(async b => store.put(b.cid, b.bytes)))
      const reads = transactions('readonly')
      try {
        const got = await Promise.all(blocks.map(async b => store.get(b.cid)))
        expect(got).toEqual(blocks.map(b => b.bytes))
        expect(reads.count()).toBe(1)
        await expect(store.get((await block(299)).cid)).rejects.toHaveProperty('name', 'BlockNotFoundError')
      } finally {
        reads.restore()
        await store.close()
      }
    })
  })
})

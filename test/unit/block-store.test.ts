import 'fake-indexeddb/auto'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { IdbStore, openIdbStore } from '../../app/core/storage/idb-store.ts'
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
})

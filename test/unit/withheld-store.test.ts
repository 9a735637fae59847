import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { WithheldStore } from '../../app/core/serve/withheld-store.ts'
import { MemoryStore } from '../../app/core/storage/memory-store.ts'
import type { ShareRecord } from '../../app/core/storage/block-store.ts'

async function block (text: string): Promise<{ cid: CID, bytes: Uint8Array }> {
  const bytes = new TextEncoder().encode(text)
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
}

describe('WithheldStore: what the block server may hand out', () => {
  it('withholds blocks only stopped items claim; serves shared, unclaimed and jointly claimed blocks', async () => {
    const store = new MemoryStore()
    const [onlyStopped, both, unclaimed, onlySharing] = await Promise.all(['a', 'b', 'c', 'd'].map(block))
    for (const b of [onlyStopped!, both!, unclaimed!, onlySharing!]) await store.put(b.cid, b.bytes)
    const owners = new Map([[onlyStopped!.cid.toString(), ['stopped']], [both!.cid.toString(), ['stopped', 'shared']], [onlySharing!.cid.toString(), ['shared']]])
    let records: ShareRecord[] = [
      { cid: 'stopped', sharing: false } as ShareRecord,
      { cid: 'shared' } as ShareRecord
    ]
    const withheld = new WithheldStore({
      store,
      index: { completeSharesOf: async cid => owners.get(cid) ?? [] },
      listShares: async () => records
    })
    await expect(withheld.get(onlyStopped!.cid)).rejects.toHaveProperty('name', 'BlockNotFoundError')
    expect(await withheld.get(both!.cid)).toEqual(both!.bytes)
    expect(await withheld.get(unclaimed!.cid)).toEqual(unclaimed!.bytes)
    expect(await withheld.get(onlySharing!.cid)).toEqual(onlySharing!.bytes)

    records = [{ cid: 'stopped' } as ShareRecord, { cid: 'shared' } as ShareRecord] // shared again
    expect(await withheld.get(onlyStopped!.cid).catch(() => undefined)).toBeUndefined() // still the old answer until told
    withheld.invalidate()
    expect(await withheld.get(onlyStopped!.cid)).toEqual(onlyStopped!.bytes)
  })

  it('with no stopped item, never asks the index (a rebuild after each new share would delay the first block)', async () => {
    const store = new MemoryStore()
    const b = await block('x')
    await store.put(b.cid, b.bytes)
    let lookups = 0
    let records: ShareRecord[] = [{ cid: 'shared' } as ShareRecord]
    const withheld = new WithheldStore({
      store,
      index: { completeSharesOf: async () => { lookups++; return ['stopped'] } },
      listShares: async () => records
    })
    expect(await withheld.get(b.cid)).toEqual(b.bytes)
    expect(lookups).toBe(0)
    records = [{ cid: 'stopped', sharing: false } as ShareRecord] // one item stopped: the index decides again
    withheld.invalidate()
    await expect(withheld.get(b.cid)).rejects.toHaveProperty('name', 'BlockNotFoundError')
    expect(lookups).toBe(1)
  })
})

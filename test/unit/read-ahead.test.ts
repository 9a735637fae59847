import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { ReadAhead } from '../../app/core/serve/read-ahead.ts'

async function cids (count: number): Promise<CID[]> {
  return Promise.all(Array.from({ length: count }, async (_, i) => CID.createV1(raw.code, await sha256.digest(Uint8Array.of(i)))))
}

describe('read-ahead', () => {
  it('refills in batches (reads made together share a transaction), never more than the head it was given', async () => {
    const all = await cids(12)
    const name = new Map(all.map((cid, i) => [cid.toString(), i]))
    const batches: number[][] = []
    let batch: number[] = []
    const ahead = new ReadAhead(async cid => { batch.push(name.get(cid.toString())!); return Uint8Array.of(1) })
    const signal = new AbortController().signal
    // as a served stream does: before each answer, the want being answered and up to 4 after it
    for (let i = 0; i < 8; i++) {
      batch = []
      ahead.prefetch(all.slice(i, i + 5))
      batches.push(batch)
      expect(await ahead.take(all[i]!, signal)).toEqual(Uint8Array.of(1))
    }
    expect(batches).toEqual([[0, 1, 2, 3, 4], [], [], [], [5, 6, 7, 8], [], [], []])
  })

  it('a want taken that was not read ahead is read at once; cancelled ones are dropped', async () => {
    const all = await cids(4)
    const read: number[] = []
    const ahead = new ReadAhead(async cid => { read.push(all.findIndex(c => c.equals(cid))); return undefined })
    ahead.prefetch(all.slice(0, 3))
    ahead.prefetch([all[0]!, all[2]!]) // 1 was cancelled: its read is dropped, and two are still in flight
    expect(await ahead.take(all[3]!, new AbortController().signal)).toBeUndefined()
    expect(read).toEqual([0, 1, 2, 3])
  })
})

import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { WantList, type WantOwner } from '../../app/core/transfer/want-list.ts'
import type { DagPosition } from '../../app/core/transfer/dag-position.ts'

async function cid (n: number): Promise<CID> {
  return CID.createV1(raw.code, await sha256.digest(Uint8Array.of(n)))
}

const part = (c: CID, copies = 1): DagPosition => ({ cid: c, role: 'part', copies, depth: 2, expectedBytes: 1 })
const owner = (root: string): WantOwner => ({ root })

describe('want list', () => {
  it('one want per CID: a second waiter joins it, an equal position of the same owner merges (copies add up)', async () => {
    const list = new WantList()
    const a = owner('a')
    const b = owner('b')
    const x = await cid(1)
    expect(list.add({ owner: a, position: part(x) }).merged).toBe(false)
    expect(list.add({ owner: a, position: part(x, 2) }).merged).toBe(true)
    const { want, merged } = list.add({ owner: b, position: part(x) })
    expect(merged).toBe(false)
    expect(list.size).toBe(1)
    expect(want.waiters.map(w => [w.owner.root, w.position.copies])).toEqual([['a', 3], ['b', 1]])
  })

  it('transfers take turns: each ask moves its transfer behind the others', async () => {
    const list = new WantList()
    const a = owner('a')
    const b = owner('b')
    const as = await Promise.all([1, 2, 3].map(cid))
    const bs = await Promise.all([11, 12].map(cid))
    for (const c of as) list.add({ owner: a, position: part(c) })
    for (const c of bs) list.add({ owner: b, position: part(c) })
    const order: string[] = []
    while (list.queuedCount > 0) {
      const next = list.queued().next().value!
      order.push(next.waiters[0]!.owner.root)
      list.ask(next, 'p', 0)
    }
    expect(order).toEqual(['a', 'b', 'a', 'b', 'a'])
  })

  it('a want nobody else was asked for goes back to the front when its peer lacks it or leaves', async () => {
    const list = new WantList()
    const a = owner('a')
    const [x, y] = await Promise.all([cid(1), cid(2)])
    const wx = list.add({ owner: a, position: part(x) }).want
    list.add({ owner: a, position: part(y) })
    list.ask(wx, 'p', 0)
    list.ask(wx, 'q', 0)
    list.unask(wx, 'p')
    expect([...list.queued()].map(w => w.key)).toEqual([y.toString()]) // q still owes it
    list.unask(wx, 'q')
    expect([...list.queued()].map(w => w.key)).toEqual([x.toString(), y.toString()])
  })

  it('dropping an owner removes the wants only it needed and hands shared ones to the others', async () => {
    const list = new WantList()
    const a = owner('a')
    const b = owner('b')
    const [x, y] = await Promise.all([cid(1), cid(2)])
    list.add({ owner: a, position: part(x) })
    list.add({ owner: a, position: part(y) })
    list.add({ owner: b, position: part(y) })
    const orphaned = list.dropOwner(a)
    expect(orphaned.map(w => w.key)).toEqual([x.toString()])
    expect(list.size).toBe(1)
    expect([...list.queued()].map(w => [w.key, w.queuedBy?.root])).toEqual([[y.toString(), 'b']])
    expect([...list.of(a)]).toHaveLength(0)
  })
})

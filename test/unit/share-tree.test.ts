import { describe, expect, it } from 'vitest'
import { listTree } from '../../app/core/content/list-tree.ts'
import { ShareTree } from '../../app/core/content/share-tree.ts'
import { Blocks } from '../helpers/dag-blocks.ts'

describe('share tree: names from the network', () => {
  it('makes unsafe and duplicate names safe and unique per folder, keeping the original visible', async () => {
    const blocks = new Blocks()
    const a = await blocks.raw(new Uint8Array([1]))
    const b = await blocks.raw(new Uint8Array([2, 2]))
    const inner = await blocks.directory([{ name: 'x', cid: a.cid, tsize: 1 }])
    const root = await blocks.directory([
      { name: '..', cid: a.cid, tsize: 1 },
      { name: 'a/b', cid: b.cid, tsize: 2 },
      { name: 'a_b', cid: a.cid, tsize: 1 },
      { name: '.', cid: inner.cid }, // a folder named '.': its file must not land beside it
      { name: 'con', cid: b.cid, tsize: 2 }
    ])
    const files = await listTree(blocks.store(), root.cid)
    expect(files).toEqual([
      { path: '_con', original: 'con', cid: b.cid.toString(), size: 2 },
      { path: 'a_b', original: 'a/b', cid: b.cid.toString(), size: 2 },
      { path: 'a_b (1)', original: 'a_b', cid: a.cid.toString(), size: 1 },
      { path: 'file (1)', original: '..', cid: a.cid.toString(), size: 1 }, // links come sorted: '.' before '..'
      { path: 'file/x', original: './x', cid: a.cid.toString(), size: 1 }
    ])
    for (const file of files) expect(file.path.split('/')).not.toContain('..')
  })

  it('lists a file as soon as its folder arrives when the link gives its size, and knows when it is whole', async () => {
    const blocks = new Blocks()
    const leaf = await blocks.raw(new Uint8Array(5))
    const big = await blocks.file([{ cid: leaf.cid, size: 5 }, { cid: leaf.cid, size: 5 }])
    const sub = await blocks.directory([{ name: 'small', cid: leaf.cid, tsize: 5 }])
    const root = await blocks.directory([{ name: 'big', cid: big.cid }, { name: 'sub', cid: sub.cid }])
    const tree = new ShareTree(root.cid)
    tree.add(root.cid, root.bytes)
    expect(tree.files()).toEqual([])
    expect(tree.wants(big.cid) && tree.wants(sub.cid)).toBe(true)
    tree.add(sub.cid, sub.bytes)
    expect(tree.files().map(f => f.path)).toEqual(['sub/small'])
    expect(tree.complete).toBe(false)
    tree.add(big.cid, big.bytes)
    expect(tree.files()).toEqual([{ path: 'big', cid: big.cid.toString(), size: 10 }, { path: 'sub/small', cid: leaf.cid.toString(), size: 5 }])
    expect(tree.complete).toBe(true)
  })

  it('reads HAMT shards as one folder', async () => {
    const blocks = new Blocks()
    const leaf = await blocks.raw(new Uint8Array(3))
    const deeper = await blocks.shard([{ name: '0Cb.txt', cid: leaf.cid, tsize: 3 }])
    const root = await blocks.shard([{ name: 'A1a.txt', cid: leaf.cid, tsize: 3 }, { name: 'FF', cid: deeper.cid }])
    expect((await listTree(blocks.store(), root.cid)).map(f => f.path)).toEqual(['a.txt', 'b.txt'])
  })

  it('stops at the entry bound before listing a huge folder', async () => {
    const blocks = new Blocks()
    const leaf = await blocks.raw(new Uint8Array(1))
    const root = await blocks.directory(Array.from({ length: 20 }, (_, i) => ({ name: `f${i}`, cid: leaf.cid, tsize: 1 })))
    const tree = new ShareTree(root.cid, { maxEntries: 10 })
    expect(() => tree.add(root.cid, root.bytes)).toThrow(expect.objectContaining({ name: 'DagLimitError' }))
  })
})

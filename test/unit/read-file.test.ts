import { UnixFS } from 'ipfs-unixfs'
import { exporter } from 'ipfs-unixfs-exporter'
import { importer } from 'ipfs-unixfs-importer'
import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { MAX_DAG_DEPTH, MAX_SHARE_BYTES, MAX_SHARE_ENTRIES } from '../../app/core/constants.ts'
import { KUBO_CIDV1_OPTIONS } from '../../app/core/content/import-share.ts'
import { listFiles, readFile } from '../../app/core/content/read-file.ts'
import { MemoryStore } from '../../app/core/storage/memory-store.ts'
import { DagWalker } from '../../app/core/transfer/dag-walker.ts'
import { Blocks, repeat, walk } from '../helpers/dag-blocks.ts'

async function failure (run: () => Promise<unknown>): Promise<Error & { limit?: string }> {
  try {
    await run()
  } catch (err) {
    return err as Error & { limit?: string }
  }
  throw new Error('it did not fail')
}

describe('readFile over repeated links', () => {
  it('streams a 4-byte leaf repeated 50 x 50 x 50 as exactly 500,000 bytes, in order', async () => {
    const blocks = new Blocks()
    const leaf = await blocks.raw(new Uint8Array([1, 2, 3, 4]))
    const l1 = await blocks.file(repeat({ cid: leaf.cid, size: 4 }, 50))
    const l2 = await blocks.file(repeat({ cid: l1.cid, size: 200 }, 50))
    const root = await blocks.file(repeat({ cid: l2.cid, size: 10_000 }, 50))
    const walker = new DagWalker(root.cid)
    expect(await walk(walker, blocks)).toBe(4) // the walk merges what the reader will go through 125,000 times
    expect(walker.total).toBe(500_000)
    let length = 0
    let wrong = 0
    for await (const chunk of readFile(blocks.store(), root.cid, '')) {
      for (let i = 0; i < chunk.byteLength; i++) if (chunk[i] !== ((length + i) % 4) + 1) wrong++
      length += chunk.byteLength
    }
    expect(length).toBe(500_000)
    expect(wrong).toBe(0)
  })
})

describe('listFiles', () => {
  it('lists a HAMT-sharded folder (sub-shards included) as the exporter does', async () => {
    const store = new MemoryStore()
    const blockstore = { put: async (cid: CID, bytes: Uint8Array) => { await store.put(cid, bytes); return cid } }
    const sources = Array.from({ length: 600 }, (_, i) => ({ path: `dir/sub/file-${i}.txt`, content: [new TextEncoder().encode(`content ${i}`)] }))
    let root: CID | undefined
    for await (const entry of importer(sources, blockstore, { ...KUBO_CIDV1_OPTIONS, shardSplitThresholdBytes: 1000 })) {
      if (entry.path === '') root = entry.cid
    }
    const listed = await listFiles(store, root!)
    expect(listed).toHaveLength(600)
    // the exporter's own listing, recursive, as the reference
    const expected: Array<{ path: string, size: number, cid: string }> = []
    const get = { async * get (cid: CID) { yield await store.get(cid) } }
    const visit = async (address: string, prefix: string): Promise<void> => {
      const entry = await exporter(address, get)
      if (entry.type !== 'directory') {
        expected.push({ path: prefix, size: Number(entry.size), cid: entry.cid.toString() })
        return
      }
      for await (const child of entry.entries()) await visit(child.cid.toString(), prefix === '' ? child.name : `${prefix}/${child.name}`)
    }
    await visit(root!.toString(), '')
    expect(listed).toEqual(expected)
    expect(new Set(listed.map(f => f.path))).toEqual(new Set(sources.map(s => s.path)))
  })

  it(`lists folders nested ${MAX_DAG_DEPTH} deep, and refuses deeper ones without recursion`, async () => {
    const blocks = new Blocks()
    const leaf = await blocks.raw(new TextEncoder().encode('deep'))
    let node = await blocks.directory([{ name: 'f.txt', cid: leaf.cid, tsize: 4 }])
    for (let i = 1; i < MAX_DAG_DEPTH; i++) node = await blocks.directory([{ name: 'd', cid: node.cid }])
    const files = await listFiles(blocks.store(), node.cid)
    expect(files).toEqual([{ path: `${'d/'.repeat(MAX_DAG_DEPTH - 1)}f.txt`, size: 4, cid: leaf.cid.toString() }])
    for (let i = 0; i < 1000; i++) node = await blocks.directory([{ name: 'd', cid: node.cid }])
    const err = await failure(async () => listFiles(blocks.store(), node.cid))
    expect(err).toMatchObject({ name: 'DagLimitError', limit: 'depth' })
  })

  it(`refuses more than ${MAX_SHARE_ENTRIES} entries, counting repeats`, async () => {
    const blocks = new Blocks()
    const empty = await blocks.raw(new Uint8Array(0))
    const inner = await blocks.directory(Array.from({ length: 300 }, (_, i) => ({ name: `f${i}`, cid: empty.cid })))
    const outer = await blocks.directory(Array.from({ length: 1000 }, (_, i) => ({ name: `d${i}`, cid: inner.cid })))
    const err = await failure(async () => listFiles(blocks.store(), outer.cid))
    expect(err).toMatchObject({ name: 'DagLimitError', limit: 'entries' })
  })

  it(`refuses files that together claim more than ${MAX_SHARE_BYTES} bytes`, async () => {
    const blocks = new Blocks()
    const leaf = await blocks.raw(new Uint8Array(4))
    const middle = await blocks.file([{ cid: leaf.cid, size: 4 }])
    const huge = await blocks.file([{ cid: middle.cid, size: 2n ** 60n }])
    const dir = await blocks.directory([{ name: 'a', cid: leaf.cid, tsize: 4 }, { name: 'b', cid: huge.cid }])
    const err = await failure(async () => listFiles(blocks.store(), dir.cid))
    expect(err).toMatchObject({ name: 'DagLimitError', limit: 'bytes' })
  })

  it('leaves symbolic links out, lists a bare file root as itself, and refuses what a download would', async () => {
    const blocks = new Blocks()
    const symlink = await blocks.pb({ Data: new UnixFS({ type: 'symlink', data: new TextEncoder().encode('/etc/passwd') }).marshal(), Links: [] })
    const leaf = await blocks.raw(new Uint8Array(3))
    const dir = await blocks.directory([{ name: 'link', cid: symlink.cid }, { name: 'a', cid: leaf.cid, tsize: 3 }])
    expect(await listFiles(blocks.store(), dir.cid)).toEqual([{ path: 'a', size: 3, cid: leaf.cid.toString() }])
    expect(await listFiles(blocks.store(), leaf.cid.toString())).toEqual([{ path: leaf.cid.toString(), size: 3, cid: leaf.cid.toString() }])
    const lying = await blocks.file([{ cid: leaf.cid, size: 3 }, { cid: leaf.cid, size: 3 }], { blockSizes: [6n] })
    const bad = await blocks.directory([{ name: 'x', cid: lying.cid }])
    expect((await failure(async () => listFiles(blocks.store(), bad.cid))).name).toBe('MalformedDagError')
  })
})

import * as dagPb from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'
import { importer } from 'ipfs-unixfs-importer'
import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import {
  CHUNK_SIZE, MAX_DAG_BLOCKS, MAX_DAG_DEPTH, MAX_DAG_LINKS_PER_NODE, MAX_SHARE_BYTES, MAX_SHARE_ENTRIES
} from '../../app/core/constants.ts'
import { importShare, KUBO_CIDV1_OPTIONS } from '../../app/core/content/import-share.ts'
import { MemoryStore } from '../../app/core/storage/memory-store.ts'
import { dagLimits } from '../../app/core/transfer/dag-limits.ts'
import { DagWalker, mergePositions, positionKey, type DagPosition } from '../../app/core/transfer/dag-walker.ts'
import { chunked, patternBytes } from '../helpers/bytes.ts'
import { Blocks, repeat, walk } from '../helpers/dag-blocks.ts'

/** The error a walk ends in (the walk must end in one). */
async function failure (run: () => Promise<unknown>): Promise<Error & { limit?: string }> {
  try {
    await run()
  } catch (err) {
    return err as Error & { limit?: string }
  }
  throw new Error('the walk did not fail')
}

/** A file node over `child` repeated `times`, each holding `childSize` bytes. */
async function repeated (blocks: Blocks, child: CID, childSize: number | bigint, times: number) {
  return blocks.file(repeat({ cid: child, size: childSize }, times))
}

describe('DagWalker: a DAG repeating one link 1,000 times, 3 deep', () => {
  it('accounts 10^9 one-byte leaves in 4 expansions when the bounds allow them', async () => {
    const blocks = new Blocks()
    const leaf = await blocks.raw(new Uint8Array([7]))
    const l1 = await repeated(blocks, leaf.cid, 1, 1000)
    const l2 = await repeated(blocks, l1.cid, 1000, 1000)
    const root = await repeated(blocks, l2.cid, 1_000_000, 1000)
    const walker = new DagWalker(root.cid, { maxBlocks: 2 ** 31 })
    const started = performance.now()
    expect(await walk(walker, blocks)).toBe(4)
    expect(performance.now() - started).toBeLessThan(1000)
    expect(walker.bytes).toBe(1e9)
    expect(walker.total).toBe(1e9)
    expect(walker.visits).toBe(4)
    expect(walker.blocks).toBe(1 + 1e3 + 1e6 + 1e9)
  })

  it('stops at the blocks bound by default: a reader would walk a billion leaves', async () => {
    const blocks = new Blocks()
    const leaf = await blocks.raw(new Uint8Array([7]))
    const l1 = await repeated(blocks, leaf.cid, 1, 1000)
    const l2 = await repeated(blocks, l1.cid, 1000, 1000)
    const root = await repeated(blocks, l2.cid, 1_000_000, 1000)
    const walker = new DagWalker(root.cid)
    const err = await failure(async () => walk(walker, blocks))
    expect(err.name).toBe('DagLimitError')
    expect(err.limit).toBe('blocks')
    expect(walker.visits).toBe(3)
    expect(walker.bytes).toBe(0)
  })

  it('stops at the blocks bound when the repeated leaf is empty (no bytes to bound it)', async () => {
    const blocks = new Blocks()
    const leaf = await blocks.raw(new Uint8Array(0))
    const l1 = await repeated(blocks, leaf.cid, 0, 1000)
    const l2 = await repeated(blocks, l1.cid, 0, 1000)
    const root = await repeated(blocks, l2.cid, 0, 1000)
    const walker = new DagWalker(root.cid)
    const err = await failure(async () => walk(walker, blocks))
    expect(err).toMatchObject({ name: 'DagLimitError', limit: 'blocks', bound: MAX_DAG_BLOCKS })
    expect(walker.declaredBytes).toBe(0)
    expect(walker.total).toBeUndefined() // a refused DAG never shows a total
    expect(() => walker.expand(walker.root, blocks.get(root.cid))).toThrow(err) // and stays refused
  })

  it('stops at the root when the leaves are 256 KiB: the share claims 238 TiB', async () => {
    const blocks = new Blocks()
    const leaf = await blocks.raw(new Uint8Array(CHUNK_SIZE))
    const l1 = await repeated(blocks, leaf.cid, CHUNK_SIZE, 1000)
    const l2 = await repeated(blocks, l1.cid, CHUNK_SIZE * 1000, 1000)
    const root = await repeated(blocks, l2.cid, CHUNK_SIZE * 1e6, 1000)
    const walker = new DagWalker(root.cid)
    const err = await failure(async () => walk(walker, blocks))
    expect(err).toMatchObject({ name: 'DagLimitError', limit: 'bytes', bound: MAX_SHARE_BYTES })
    expect(err.message).toMatch(/claims 238\.4 TiB/)
    expect(walker.visits).toBe(1)
  })
})

describe('DagWalker: declared sizes', () => {
  it('refuses a root claiming 2^53 bytes at its first block, and says how much it claims', async () => {
    const blocks = new Blocks()
    const leaf = await blocks.raw(new Uint8Array(4))
    const middle = await blocks.file([{ cid: leaf.cid, size: 4 }])
    const root = await blocks.file([{ cid: middle.cid, size: 2n ** 53n }])
    const walker = new DagWalker(root.cid)
    const started = performance.now()
    const err = await failure(async () => walker.expand(walker.root, blocks.get(root.cid)))
    expect(performance.now() - started).toBeLessThan(100)
    expect(err).toMatchObject({ name: 'DagLimitError', limit: 'bytes' })
    expect(err.message).toMatch(/claims 8 PiB of files, more than the 1 TiB a browser tab can store/)
    expect(walker.bytes).toBe(0)
    expect(walker.total).toBeUndefined()
  })

  it('refuses a folder whose entries together claim more than the bound, entry by entry', async () => {
    const blocks = new Blocks()
    const leaf = await blocks.raw(new Uint8Array(4))
    const middle = await blocks.file([{ cid: leaf.cid, size: 4 }])
    const half = await blocks.file([{ cid: middle.cid, size: MAX_SHARE_BYTES / 2 + 1 }])
    const other = await blocks.file([{ cid: middle.cid, size: MAX_SHARE_BYTES / 2 }])
    const dir = await blocks.directory([{ name: 'a', cid: half.cid }, { name: 'b', cid: other.cid }])
    const walker = new DagWalker(dir.cid)
    const [a, b] = walker.expand(walker.root, blocks.get(dir.cid))
    walker.expand(a as DagPosition, blocks.get(half.cid))
    expect(walker.declaredBytes).toBe(MAX_SHARE_BYTES / 2 + 1)
    expect(() => walker.expand(b as DagPosition, blocks.get(other.cid))).toThrow(expect.objectContaining({ name: 'DagLimitError', limit: 'bytes' }))
  })

  it('weights a file linked many times by its copies: 1,000 names for one 8 GiB file claim 8 TiB', async () => {
    const blocks = new Blocks()
    const leaf = await blocks.raw(new Uint8Array(4))
    const middle = await blocks.file([{ cid: leaf.cid, size: 4 }])
    const big = await blocks.file([{ cid: middle.cid, size: 2 ** 33 }])
    const dir = await blocks.directory(Array.from({ length: 1000 }, (_, i) => ({ name: `f${i}`, cid: big.cid })))
    const walker = new DagWalker(dir.cid)
    const children = walker.expand(walker.root, blocks.get(dir.cid))
    expect(children).toHaveLength(1)
    expect(children[0]?.copies).toBe(1000)
    expect(walker.entries).toBe(1001)
    expect(() => walker.expand(children[0] as DagPosition, blocks.get(big.cid))).toThrow(expect.objectContaining({ limit: 'bytes' }))
  })

  it('sizes a file by its blockSizes and inline data, as ipfs-unixfs and the exporter do, whatever its filesize field says', async () => {
    // ipfs-unixfs 13.1.1 writes the field wrongly for 2^31..2^32-1 bytes, so Chiral's own 2-4 GiB shares carry a wrong one
    const blocks = new Blocks()
    const leaf = await blocks.raw(new Uint8Array(4))
    for (const written of [5n, 12n, 2n ** 53n]) {
      const root = await blocks.file([{ cid: leaf.cid, size: 4 }, { cid: leaf.cid, size: 4 }], { writtenFileSize: written })
      const walker = new DagWalker(root.cid)
      await walk(walker, blocks)
      expect(walker.total).toBe(8)
      expect(walker.bytes).toBe(8)
    }
  })

  it('refuses a file node whose links and blockSizes do not pair up', async () => {
    const blocks = new Blocks()
    const leaf = await blocks.raw(new Uint8Array(4))
    const root = await blocks.file([{ cid: leaf.cid, size: 4 }, { cid: leaf.cid, size: 4 }], { blockSizes: [8n] })
    const err = await failure(async () => walk(new DagWalker(root.cid), blocks))
    expect(err.name).toBe('MalformedDagError')
    expect(err.message).toMatch(/2 links but 1 block sizes/)
  })

  it('refuses a raw leaf shorter than its parent declared', async () => {
    const blocks = new Blocks()
    const short = await blocks.raw(new Uint8Array(3))
    const root = await blocks.file([{ cid: short.cid, size: 4 }, { cid: short.cid, size: 4 }])
    const walker = new DagWalker(root.cid)
    const err = await failure(async () => walk(walker, blocks))
    expect(err.name).toBe('MalformedDagError')
    expect(err.message).toMatch(/holds 3 bytes where 4 were declared/)
    expect(walker.bytes).toBe(0)
  })

  it('refuses a file node holding other than its parent declared', async () => {
    const blocks = new Blocks()
    const leaf = await blocks.raw(new Uint8Array(4))
    const middle = await blocks.file([{ cid: leaf.cid, size: 4 }])
    const root = await blocks.file([{ cid: middle.cid, size: 5 }])
    const err = await failure(async () => walk(new DagWalker(root.cid), blocks))
    expect(err.name).toBe('MalformedDagError')
    expect(err.message).toMatch(/holds 4 bytes where 5 were declared/)
  })

  it('refuses a raw leaf said to be bigger than a block can be, before fetching it', async () => {
    const blocks = new Blocks()
    const leaf = await blocks.raw(new Uint8Array(4))
    const root = await blocks.file([{ cid: leaf.cid, size: 2 ** 21 }])
    const walker = new DagWalker(root.cid)
    expect(() => walker.expand(walker.root, blocks.get(root.cid))).toThrow(expect.objectContaining({ name: 'MalformedDagError' }))
  })

  it('refuses a raw folder entry whose length is not its Tsize', async () => {
    const blocks = new Blocks()
    const leaf = await blocks.raw(new Uint8Array(4))
    const dir = await blocks.directory([{ name: 'a', cid: leaf.cid, tsize: 5 }])
    const err = await failure(async () => walk(new DagWalker(dir.cid), blocks))
    expect(err.name).toBe('MalformedDagError')
  })

  it('accounts a file with data inline in its nodes', async () => {
    const blocks = new Blocks()
    const leaf = await blocks.raw(new Uint8Array(4))
    const middle = await blocks.file([{ cid: leaf.cid, size: 4 }], { data: new Uint8Array(3) })
    const root = await blocks.file([{ cid: middle.cid, size: 7 }, { cid: leaf.cid, size: 4 }], { data: new Uint8Array(2) })
    const walker = new DagWalker(root.cid)
    await walk(walker, blocks)
    expect(walker.bytes).toBe(13)
    expect(walker.total).toBe(13)
  })
})

describe('DagWalker: shape bounds', () => {
  it(`ends a chain 100 deep at depth ${MAX_DAG_DEPTH}, before fetching deeper`, async () => {
    const blocks = new Blocks()
    let node = await blocks.raw(new Uint8Array([1]))
    for (let i = 0; i < 100; i++) node = await blocks.file([{ cid: node.cid, size: 1 }])
    const walker = new DagWalker(node.cid)
    const err = await failure(async () => walk(walker, blocks))
    expect(err).toMatchObject({ name: 'DagLimitError', limit: 'depth', bound: MAX_DAG_DEPTH })
    expect(walker.visits).toBe(MAX_DAG_DEPTH + 1) // the node at depth 64 is read; its child at 65 is never asked for
  })

  it('walks a chain exactly as deep as allowed', async () => {
    const blocks = new Blocks()
    let node = await blocks.raw(new Uint8Array([1]))
    for (let i = 0; i < MAX_DAG_DEPTH; i++) node = await blocks.file([{ cid: node.cid, size: 1 }])
    const walker = new DagWalker(node.cid)
    expect(await walk(walker, blocks)).toBe(MAX_DAG_DEPTH + 1)
    expect(walker.total).toBe(1)
  })

  it(`refuses a node with more than ${MAX_DAG_LINKS_PER_NODE} links`, async () => {
    const blocks = new Blocks()
    const leaf = await blocks.raw(new Uint8Array([1]))
    const wide = await repeated(blocks, leaf.cid, 1, MAX_DAG_LINKS_PER_NODE + 1)
    const walker = new DagWalker(wide.cid)
    expect(() => walker.expand(walker.root, blocks.get(wide.cid))).toThrow(expect.objectContaining({ name: 'DagLimitError', limit: 'links' }))
    const atBound = await repeated(blocks, leaf.cid, 1, MAX_DAG_LINKS_PER_NODE)
    const ok = new DagWalker(atBound.cid)
    await walk(ok, blocks)
    expect(ok.total).toBe(MAX_DAG_LINKS_PER_NODE)
  })

  it('counts links before merging: a node of 11 identical links passes maxLinksPerNode 10 as one child no more', async () => {
    const blocks = new Blocks()
    const leaf = await blocks.raw(new Uint8Array([1]))
    const node = await repeated(blocks, leaf.cid, 1, 11)
    const walker = new DagWalker(node.cid, { maxLinksPerNode: 10 })
    expect(() => walker.expand(walker.root, blocks.get(node.cid))).toThrow(expect.objectContaining({ limit: 'links', bound: 10 }))
  })

  it('ends a lattice (distinct nodes sharing children, 2^30 paths) at the visits bound', async () => {
    // level by level, two distinct nodes each linking both nodes below (in opposite orders)
    const lattice = new Blocks()
    let nodes = [await lattice.raw(new Uint8Array([1])), await lattice.raw(new Uint8Array([2]))]
    let bytes = 1
    for (let level = 0; level < 30; level++) {
      const parts = nodes.map(b => ({ cid: b.cid, size: bytes }))
      nodes = [await lattice.file(parts), await lattice.file([...parts].reverse())]
      bytes *= 2
    }
    const walker = new DagWalker(nodes[0]!.cid, { maxVisits: 10_000 })
    const err = await failure(async () => walk(walker, lattice))
    expect(err).toMatchObject({ name: 'DagLimitError', limit: 'visits', bound: 10_000 })
    expect(walker.visits).toBe(10_001)
  })

  it(`refuses more than ${MAX_SHARE_ENTRIES} files and folders, counting repeats`, async () => {
    const blocks = new Blocks()
    const empty = await blocks.raw(new Uint8Array(0))
    const inner = await blocks.directory(Array.from({ length: 300 }, (_, i) => ({ name: `f${i}`, cid: empty.cid })))
    const outer = await blocks.directory(Array.from({ length: 1000 }, (_, i) => ({ name: `d${i}`, cid: inner.cid })))
    const walker = new DagWalker(outer.cid)
    const err = await failure(async () => walk(walker, blocks))
    expect(err).toMatchObject({ name: 'DagLimitError', limit: 'entries', bound: MAX_SHARE_ENTRIES })
    expect(walker.visits).toBe(2)
  })
})

describe('DagWalker: what sits where', () => {
  it('refuses a folder where file data belongs', async () => {
    const blocks = new Blocks()
    const dir = await blocks.directory([])
    const root = await blocks.file([{ cid: dir.cid, size: 4 }])
    const err = await failure(async () => walk(new DagWalker(root.cid), blocks))
    expect(err.name).toBe('MalformedDagError')
    expect(err.message).toMatch(/a directory sits where file data belongs/)
  })

  it('refuses dag-pb without UnixFS data, and links to codecs that are not UnixFS', async () => {
    const blocks = new Blocks()
    const bare = await blocks.pb({ Links: [] })
    expect((await failure(async () => walk(new DagWalker(bare.cid), blocks))).name).toBe('MalformedDagError')
    const cbor = CID.createV1(0x71, bare.cid.multihash)
    const root = await blocks.pb({ Data: new UnixFS({ type: 'directory' }).marshal(), Links: [{ Hash: cbor, Name: 'x' }] })
    const err = await failure(async () => walk(new DagWalker(root.cid), blocks))
    expect(err.name).toBe('MalformedDagError')
    expect(err.message).toMatch(/codec 0x71/)
  })

  it('refuses a folder entry without a name', async () => {
    const blocks = new Blocks()
    const leaf = await blocks.raw(new Uint8Array(1))
    const root = await blocks.pb({ Data: new UnixFS({ type: 'directory' }).marshal(), Links: [{ Hash: leaf.cid }] })
    expect((await failure(async () => walk(new DagWalker(root.cid), blocks))).name).toBe('MalformedDagError')
  })

  it('refuses UnixFS metadata nodes', async () => {
    const blocks = new Blocks()
    const root = await blocks.pb({ Data: new UnixFS({ type: 'metadata' }).marshal(), Links: [] })
    expect((await failure(async () => walk(new DagWalker(root.cid), blocks))).name).toBe('MalformedDagError')
  })

  it('takes a symlink as an entry of no bytes', async () => {
    const blocks = new Blocks()
    const link = await blocks.pb({ Data: new UnixFS({ type: 'symlink', data: new TextEncoder().encode('../x') }).marshal(), Links: [] })
    const leaf = await blocks.raw(new Uint8Array(3))
    const dir = await blocks.directory([{ name: 'l', cid: link.cid }, { name: 'f', cid: leaf.cid, tsize: 3 }])
    const walker = new DagWalker(dir.cid)
    await walk(walker, blocks)
    expect(walker.total).toBe(3)
    expect(walker.entries).toBe(3)
  })

  it('accounts a raw leaf of known length without its bytes, and insists on them otherwise', async () => {
    const blocks = new Blocks()
    const leaf = await blocks.raw(new Uint8Array(4))
    const root = await blocks.file([{ cid: leaf.cid, size: 4 }, { cid: leaf.cid, size: 4 }])
    const walker = new DagWalker(root.cid)
    await walk(walker, blocks, { unread: true })
    expect(walker.bytes).toBe(8)
    expect(() => new DagWalker(root.cid).expand({ cid: root.cid, role: 'entry', copies: 1, depth: 0 }, undefined)).toThrow(TypeError)
  })

  it('merges positions waiting for one block without changing what the walk accounts', async () => {
    const blocks = new Blocks()
    const leaf = await blocks.raw(new Uint8Array(5))
    const a = await blocks.file([{ cid: leaf.cid, size: 5 }, { cid: leaf.cid, size: 5 }])
    const b = await blocks.file([{ cid: leaf.cid, size: 5 }])
    const root = await blocks.file([{ cid: a.cid, size: 10 }, { cid: b.cid, size: 5 }, { cid: a.cid, size: 10 }])
    const walker = new DagWalker(root.cid)
    const [pa, pb] = walker.expand(walker.root, blocks.get(root.cid)) as [DagPosition, DagPosition]
    expect(pa.copies).toBe(2)
    const leavesOfA = walker.expand(pa, blocks.get(a.cid))
    const leavesOfB = walker.expand(pb, blocks.get(b.cid))
    expect(leavesOfA).toEqual([expect.objectContaining({ copies: 4, depth: 2, expectedBytes: 5 })])
    expect(positionKey(leavesOfA[0]!)).toBe(positionKey(leavesOfB[0]!))
    const merged = mergePositions(leavesOfA[0]!, { ...leavesOfB[0]!, depth: 3 })
    expect(merged).toMatchObject({ copies: 5, depth: 3 })
    expect(walker.expand(merged, blocks.get(leaf.cid))).toEqual([])
    expect(walker.bytes).toBe(25)
    expect(walker.total).toBe(25)
    expect(() => mergePositions(pa, pb)).toThrow(TypeError)
  })

  it('refuses bounds that would make counts inexact', () => {
    expect(() => dagLimits({ maxDepth: 0 })).toThrow(RangeError)
    expect(() => dagLimits({ maxTotalBytes: 2 ** 60 })).toThrow(RangeError)
    expect(() => dagLimits({ maxBlocks: 2 ** 40, maxLinksPerNode: 2 ** 20 })).toThrow(RangeError)
  })
})

describe('DagWalker: HAMT-sharded folders', () => {
  it('walks a folder Kubo shards: sub-shards are not entries, their entries are', async () => {
    const store = new MemoryStore()
    const files = Array.from({ length: 600 }, (_, i) => ({ path: `dir/file-${i}.txt`, content: [new TextEncoder().encode(`content ${i}`)] }))
    let root: CID | undefined
    const blockstore = { put: async (cid: CID, bytes: Uint8Array) => { await store.put(cid, bytes); return cid } }
    for await (const entry of importer(files, blockstore, { ...KUBO_CIDV1_OPTIONS, wrapWithDirectory: false, shardSplitThresholdBytes: 1000 })) {
      if (entry.path === 'dir') root = entry.cid
    }
    const node = dagPb.decode(await store.get(root!))
    expect(UnixFS.unmarshal(node.Data!).type).toBe('hamt-sharded-directory')
    expect(node.Links.some(l => l.Name?.length === 2)).toBe(true) // at least one sub-shard
    const walker = new DagWalker(root!)
    await walk(walker, store)
    const expected = files.reduce((sum, f) => sum + f.content[0]!.byteLength, 0)
    expect(walker.total).toBe(expected)
    expect(walker.bytes).toBe(expected)
    expect(walker.entries).toBe(601)
  })

  it('refuses a shard link whose name names no slot, and fan-outs Kubo does not write', async () => {
    const blocks = new Blocks()
    const leaf = await blocks.raw(new Uint8Array(1))
    const short = await blocks.shard([{ name: 'F', cid: leaf.cid }])
    expect((await failure(async () => walk(new DagWalker(short.cid), blocks))).name).toBe('MalformedDagError')
    const badSlot = await blocks.shard([{ name: 'ZZfile', cid: leaf.cid }])
    expect((await failure(async () => walk(new DagWalker(badSlot.cid), blocks))).name).toBe('MalformedDagError')
    const fanout = await blocks.shard([{ name: '00file', cid: leaf.cid }], 300n)
    expect((await failure(async () => walk(new DagWalker(fanout.cid), blocks))).message).toMatch(/fan-out 300/)
    const rawShard = await blocks.shard([{ name: '0A', cid: leaf.cid }])
    expect((await failure(async () => walk(new DagWalker(rawShard.cid), blocks))).name).toBe('MalformedDagError')
  })

  it('takes a 2-hex-digit name as a sub-shard and a longer one as an entry, and a file is no shard', async () => {
    const blocks = new Blocks()
    const leaf = await blocks.raw(new Uint8Array(2))
    const file = await blocks.file([{ cid: leaf.cid, size: 2 }])
    const inner = await blocks.shard([{ name: '0Ab', cid: leaf.cid, tsize: 2 }, { name: '1Fc', cid: file.cid }])
    const root = await blocks.shard([{ name: '0A', cid: inner.cid }, { name: '3Ca', cid: leaf.cid, tsize: 2 }])
    const children = new DagWalker(root.cid).expand({ cid: root.cid, role: 'entry', copies: 1, depth: 0 }, blocks.get(root.cid))
    expect(children.map(c => c.role)).toEqual(['shard', 'entry'])
    const walker = new DagWalker(root.cid)
    await walk(walker, blocks)
    expect(walker.total).toBe(6)
    expect(walker.entries).toBe(4)
    const lying = await blocks.shard([{ name: '0A', cid: file.cid }])
    expect((await failure(async () => walk(new DagWalker(lying.cid), blocks))).message).toMatch(/a file sits where a folder shard belongs/)
  })
})

describe('DagWalker: shares imported as Kubo would', () => {
  it.each([
    ['0 bytes', 0],
    ['1 byte', 1],
    ['256 KiB exactly', CHUNK_SIZE],
    ['256 KiB and a byte', CHUNK_SIZE + 1]
  ])('walks a file of %s to its size', async (_label, size) => {
    const store = new MemoryStore()
    const result = await importShare([{ name: 'f.bin', content: chunked(patternBytes(size)) }], store)
    for (const unread of [false, true]) {
      const walker = new DagWalker(CID.parse(result.cid))
      await walk(walker, store, { unread })
      expect(walker.bytes).toBe(size)
      expect(walker.total).toBe(size)
      expect(walker.entries).toBe(2)
    }
    // the file root alone (a raw leaf or a dag-pb node), as shared without a folder
    const file = new DagWalker(CID.parse(result.files[0]!.cid))
    await walk(file, store)
    expect(file.total).toBe(size)
  })

  it('walks a multi-file share with a file of zeros (repeated leaves) to exactly its total, known once the entries are seen', async () => {
    const store = new MemoryStore()
    const zeros = new Uint8Array(CHUNK_SIZE * 6 + 100) // 6 identical leaves and a short one
    const result = await importShare([
      { name: 'zeros.bin', content: chunked(zeros) },
      { name: 'pattern.bin', content: chunked(patternBytes(CHUNK_SIZE * 3 + 5)) },
      { name: 'small.txt', content: chunked(new TextEncoder().encode('hello')) }
    ], store)
    const walker = new DagWalker(CID.parse(result.cid))
    const entries = walker.expand(walker.root, await store.get(CID.parse(result.cid)))
    expect(entries).toHaveLength(3)
    expect(walker.total).toBeUndefined()
    const stack: DagPosition[] = []
    for (const entry of entries) {
      expect(walker.total).toBeUndefined()
      stack.push(...walker.expand(entry, await store.get(entry.cid)))
    }
    expect(walker.total).toBe(result.totalBytes)
    expect(walker.bytes).toBe(5) // small.txt is a raw leaf: its bytes are its entry's
    const zeroLeaves = stack.filter(p => p.copies === 6)
    expect(zeroLeaves).toHaveLength(1)
    while (stack.length > 0) {
      const position = stack.pop() as DagPosition
      stack.push(...walker.expand(position, await store.get(position.cid)))
    }
    expect(walker.bytes).toBe(result.totalBytes)
    expect(walker.visits).toBe(1 + 3 + 2 + 4) // root, 3 entries, zeros' 2 distinct leaves, pattern's 4 leaves
  })
})

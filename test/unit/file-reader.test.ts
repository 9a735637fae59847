import { createHash } from 'node:crypto'
import { importer } from 'ipfs-unixfs-importer'
import { describe, expect, it } from 'vitest'
import { KUBO_CIDV1_OPTIONS } from '../../app/core/content/import-share.ts'
import { openUnixfsFile, type BlockSource } from '../../app/core/content/file-reader.ts'
import { MemoryStore } from '../../app/core/storage/memory-store.ts'
import { Blocks, repeat } from '../helpers/dag-blocks.ts'
import type { CID } from 'multiformats/cid'

/** Deterministic bytes: byte i is a function of i, so any slice can be checked. */
function pattern (size: number): Uint8Array {
  const bytes = new Uint8Array(size)
  for (let i = 0; i < size; i++) bytes[i] = (i * 7 + (i >> 8)) & 0xff
  return bytes
}

/** Import as Kubo would, with small chunks and a small fan-out, so a small file is a tree of several levels. */
async function importFile (bytes: Uint8Array, options: { chunk: number, fanout: number, rawLeaves?: boolean }): Promise<{ store: MemoryStore, root: CID }> {
  const store = new MemoryStore()
  const blockstore = { put: async (cid: CID, block: Uint8Array) => { await store.put(cid, block); return cid } }
  let root: CID | undefined
  for await (const entry of importer([{ content: [bytes] }], blockstore, {
    ...KUBO_CIDV1_OPTIONS,
    wrapWithDirectory: false,
    rawLeaves: options.rawLeaves ?? true,
    chunker: (await import('ipfs-unixfs-importer/chunker')).fixedSize({ chunkSize: options.chunk }),
    layout: (await import('ipfs-unixfs-importer/layout')).balanced({ maxChildrenPerNode: options.fanout })
  })) root = entry.cid
  return { store, root: root as CID }
}

async function collect (chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  for await (const chunk of chunks) parts.push(chunk)
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
  let at = 0
  for (const p of parts) { out.set(p, at); at += p.byteLength }
  return out
}

/** A source that counts gets running at once, each answered on a later macrotask. */
function counting (store: BlockSource): BlockSource & { max: number, gets: number } {
  let running = 0
  const source = {
    max: 0,
    gets: 0,
    async get (cid: CID) {
      running++
      source.gets++
      source.max = Math.max(source.max, running)
      try {
        await new Promise(resolve => setImmediate(resolve))
        return await store.get(cid)
      } finally {
        running--
      }
    }
  }
  return source
}

describe('openUnixfsFile(...).read', () => {
  const size = 10_000
  const bytes = pattern(size)

  it('reads a three-level tree whole, and every range edge exactly', async () => {
    const { store, root } = await importFile(bytes, { chunk: 100, fanout: 5 }) // 100 leaves: 4 levels
    const file = await openUnixfsFile(store, root)
    expect(file.size).toBe(size)
    expect(await collect(file.read())).toEqual(bytes)
    for (const [start, end] of [[0, 1], [99, 100], [100, 101], [99, 101], [0, 100], [4_321, 8_765], [size - 1, size], [500, 2_500], [2_499, 2_501]]) {
      expect(await collect(file.read({ start, end })), `[${start}, ${end})`).toEqual(bytes.subarray(start, end))
    }
  })

  it('reads dag-pb leaves that carry their data inline (CIDv0-style DAGs)', async () => {
    const { store, root } = await importFile(bytes, { chunk: 100, fanout: 5, rawLeaves: false })
    const file = await openUnixfsFile(store, root)
    expect(await collect(file.read())).toEqual(bytes)
    expect(await collect(file.read({ start: 150, end: 1_234 }))).toEqual(bytes.subarray(150, 1_234))
  })

  it('reads every one-byte range of a small multi-level file', async () => {
    const small = pattern(300)
    const { store, root } = await importFile(small, { chunk: 7, fanout: 3 })
    const file = await openUnixfsFile(store, root)
    for (let i = 0; i < small.byteLength; i++) expect((await collect(file.read({ start: i, end: i + 1 })))[0]).toBe(small[i])
  })

  it('clamps the end to the size, and yields nothing for empty or inverted ranges', async () => {
    const { store, root } = await importFile(bytes, { chunk: 100, fanout: 5 })
    const file = await openUnixfsFile(store, root)
    expect(await collect(file.read({ start: size - 10, end: size + 1000 }))).toEqual(bytes.subarray(size - 10))
    expect((await collect(file.read({ start: 50, end: 50 }))).byteLength).toBe(0)
    expect((await collect(file.read({ start: size, end: size + 5 }))).byteLength).toBe(0)
    expect((await collect(file.read({ start: 80, end: 20 }))).byteLength).toBe(0)
  })

  it('reads an empty file and a single raw leaf', async () => {
    const empty = await importFile(new Uint8Array(0), { chunk: 100, fanout: 5 })
    const file = await openUnixfsFile(empty.store, empty.root)
    expect(file.size).toBe(0)
    expect((await collect(file.read())).byteLength).toBe(0)
    const one = await importFile(bytes.subarray(0, 50), { chunk: 100, fanout: 5 })
    expect(await collect((await openUnixfsFile(one.store, one.root)).read({ start: 10, end: 20 }))).toEqual(bytes.subarray(10, 20))
  })

  it('reads only the blocks a range needs', async () => {
    const { store, root } = await importFile(bytes, { chunk: 100, fanout: 5 })
    const source = counting(store)
    const file = await openUnixfsFile(source, root)
    source.gets = 0
    await collect(file.read({ start: 5_000, end: 5_001, readAhead: 1 }))
    expect(source.gets).toBe(3) // one node per level below the root, down to the leaf
  })

  it('never has more than readAhead + 1 gets out at once, however long the file', async () => {
    const { store, root } = await importFile(bytes, { chunk: 100, fanout: 5 })
    for (const readAhead of [1, 2, 4]) {
      const source = counting(store)
      const file = await openUnixfsFile(source, root)
      const read = await collect(file.read({ readAhead }))
      expect(createHash('sha256').update(read).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'))
      expect(source.max).toBeLessThanOrEqual(readAhead + 1)
      expect(source.max).toBeGreaterThanOrEqual(Math.min(readAhead, 2)) // it does read ahead
    }
  })

  it('reads nothing ahead of a consumer that stops pulling', async () => {
    const { store, root } = await importFile(bytes, { chunk: 100, fanout: 5 })
    const source = counting(store)
    const file = await openUnixfsFile(source, root)
    const chunks = file.read({ readAhead: 4 })[Symbol.asyncIterator]()
    await chunks.next()
    // a runaway walk over an in-memory store would go on in these turns of the event loop (turns, not wall-clock time)
    for (let turn = 0; turn < 100; turn++) await new Promise(resolve => setImmediate(resolve))
    expect(source.gets).toBeLessThanOrEqual(1 + 3 + 5) // root, the path down, and the read-ahead
    await chunks.return(undefined)
  })

  it('refuses a folder, and a part that holds other than its declared size', async () => {
    const blocks = new Blocks()
    const leaf = await blocks.raw(new Uint8Array(10))
    const dir = await blocks.directory([{ name: 'a', cid: leaf.cid, tsize: 10 }])
    await expect(openUnixfsFile(blocks.store(), dir.cid)).rejects.toMatchObject({ name: 'UnsupportedContentError' })
    const lying = await blocks.file([{ cid: leaf.cid, size: 12 }])
    const file = await openUnixfsFile(blocks.store(), lying.cid)
    await expect(collect(file.read())).rejects.toMatchObject({ name: 'MalformedDagError' })
    const folderAsPart = await blocks.file([{ cid: dir.cid, size: 10 }])
    await expect(collect((await openUnixfsFile(blocks.store(), folderAsPart.cid)).read())).rejects.toMatchObject({ name: 'MalformedDagError' })
  })

  it('refuses a chain deeper than MAX_DAG_DEPTH without recursion', async () => {
    const blocks = new Blocks()
    let node = await blocks.raw(new Uint8Array([9]))
    for (let i = 0; i < 200; i++) node = await blocks.file([{ cid: node.cid, size: 1 }])
    const file = await openUnixfsFile(blocks.store(), node.cid)
    await expect(collect(file.read())).rejects.toMatchObject({ name: 'DagLimitError', limit: 'depth' })
  })

  it('skips zero-size parts repeated a million times without reading them', async () => {
    const blocks = new Blocks()
    const empty = await blocks.raw(new Uint8Array(0))
    const data = await blocks.raw(new Uint8Array([1, 2, 3]))
    const wide = await blocks.file([...repeat({ cid: empty.cid, size: 0 }, 10_000), { cid: data.cid, size: 3 }])
    const file = await openUnixfsFile(blocks.store(), wide.cid)
    expect(await collect(file.read())).toEqual(new Uint8Array([1, 2, 3]))
  })
})

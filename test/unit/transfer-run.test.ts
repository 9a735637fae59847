import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { CHUNK_SIZE } from '../../app/core/constants.ts'
import { readFile } from '../../app/core/content/read-file.ts'
import { NoDirectConnectionError } from '../../app/core/errors.ts'
import { MemoryStore } from '../../app/core/storage/memory-store.ts'
import { Swarm } from '../../app/core/transfer/swarm.ts'
import { collect, sha256Hex } from '../helpers/bytes.ts'
import { blocksOf, delayedStore, download, provider, searches, seededStore, stallingStore } from '../helpers/swarm-harness.ts'
import type { BlockStore } from '../../app/core/storage/block-store.ts'

const FILE_BYTES = CHUNK_SIZE * 20 + 123
const LEAVES = 21

async function fileHash (store: Pick<BlockStore, 'get'>, cid: string): Promise<string> {
  return sha256Hex(await collect(readFile(store, cid, 'data.bin')))
}

/** A provider whose raw leaves come back with one byte flipped: valid framing, wrong bytes for the CID. */
function lying (store: BlockStore): Pick<BlockStore, 'get'> {
  return {
    get: async cid => {
      const real = await store.get(cid)
      if (cid.code !== 0x55) return real
      const bad = real.slice()
      bad[0] = (bad[0] ?? 0) ^ 0xff
      return bad
    }
  }
}

describe('one transfer from one provider', () => {
  it('downloads a multi-block file, verified, with several wants in flight at once', async () => {
    const { store, root, bytes } = await seededStore()
    const stalling = stallingStore(store, 2) // the root and the file node, then the sharer waits
    const a = provider('a', stalling)
    const client = new MemoryStore()
    const swarm = new Swarm({ store: client, maxWindow: 8 })
    const done = download(root, { store: client, swarm, findPeers: searches([a]).findPeers })
    await stalling.stalled
    await expect.poll(() => swarm.links()[0]?.inFlight).toBeGreaterThan(1) // a serial client would have one
    stalling.release()
    const result = await done
    swarm.stop()
    expect(result.blocksFetched).toBe(LEAVES + 2)
    expect(result.bytes).toBe(FILE_BYTES)
    expect(await fileHash(client, root.toString())).toBe(await sha256Hex(bytes))
  })

  it('starts looking for providers before the store has answered whether it holds the root', async () => {
    const { store, root } = await seededStore()
    let answer!: () => void
    const answered = new Promise<void>(resolve => { answer = resolve })
    const client = new MemoryStore()
    const slowClient = Object.assign(Object.create(client) as MemoryStore, {
      has: async (cid: CID) => { await answered; return client.has(cid) } // a cold IndexedDB
    })
    let searched!: () => void
    const searching = new Promise<void>(resolve => { searched = resolve })
    const search = searches([provider('a', store)])
    const done = download(root, {
      store: slowClient,
      findPeers: (signal, reuse) => { searched(); return search.findPeers(signal, reuse) }
    })
    await searching // while has(root) is still pending
    answer()
    expect((await done).blocksFetched).toBe(LEAVES + 2)
  })

  it('never fetches blocks that are already stored', async () => {
    const { store, root } = await seededStore()
    const client = new MemoryStore()
    const blocks = blocksOf(store)
    for (const [key, bytes] of blocks.slice(0, 12)) await client.put(CID.parse(key), bytes)
    const a = provider('a', store)
    const result = await download(root, { store: client, findPeers: searches([a]).findPeers })
    expect(result.blocksLocal).toBe(12)
    expect(result.blocksFetched).toBe(blocks.length - 12)
    for (const [key] of blocks.slice(0, 12)) expect(a.served).not.toContain(key)
  })

  it('requests a leaf that repeats across a file once, and counts every occurrence', async () => {
    const zeros = new Uint8Array(CHUNK_SIZE * 12)
    const { store, root } = await seededStore(zeros)
    const a = provider('a', store)
    const progress: number[] = []
    const result = await download(root, { findPeers: searches([a]).findPeers, onProgress: p => progress.push(p.bytes) })
    expect(new Set(a.served).size).toBe(a.served.length)
    expect(result.blocksFetched).toBe(3) // directory, file node, the one zero leaf
    expect(result.bytes).toBe(zeros.byteLength)
    expect(progress.at(-1)).toBe(zeros.byteLength)
    expect(await fileHash(result.store, root.toString())).toBe(await sha256Hex(zeros))
  })

  it('waits for at most maxWants blocks from the network at once; the rest of the DAG stays on its stack', async () => {
    const { store, root, bytes } = await seededStore()
    const client = new MemoryStore()
    const swarm = new Swarm({ store: client, maxWindow: 32 })
    let peak = 0
    const result = await download(root, {
      store: client,
      swarm,
      maxWants: 3,
      findPeers: searches([provider('a', store)]).findPeers,
      onProgress: () => { peak = Math.max(peak, ...swarm.links().map(l => l.inFlight)) }
    })
    swarm.stop()
    expect(peak).toBeGreaterThan(1)
    expect(peak).toBeLessThanOrEqual(3)
    expect(await fileHash(result.store, root.toString())).toBe(await sha256Hex(bytes))
  })

  it('announces as soon as the root is stored, long before the end', async () => {
    const { store, root } = await seededStore()
    let bytesWhenAnnounced: number | undefined
    let bytes = 0
    await download(root, {
      findPeers: searches([provider('a', store)]).findPeers,
      onProgress: p => { bytes = p.bytes },
      onRootStored: () => { bytesWhenAnnounced ??= bytes }
    })
    expect(bytesWhenAnnounced).toBeLessThan(FILE_BYTES / 2)
  })
})

describe('failures say why', () => {
  it('NoProvidersError when nobody has the content', async () => {
    const { root } = await seededStore()
    await expect(download(root, { findPeers: searches().findPeers })).rejects.toHaveProperty('name', 'NoProvidersError')
  })

  it('a connected peer that lacks the content does not hide why the sharer itself was unreachable', async () => {
    const { root } = await seededStore()
    const unreachable = new NoDirectConnectionError(root.toString(), { turnConfigured: false })
    const empty = provider('has-nothing', new MemoryStore())
    await expect(download(root, {
      findPeers: async function * (_signal, reuse) {
        if (!reuse(empty.peer)) yield await empty.open()
        throw unreachable
      }
    })).rejects.toBe(unreachable)
  })

  it('ProviderGoneError once the only provider has been gone for the grace time; what arrived is kept', async () => {
    const { store, root } = await seededStore()
    let reads = 0
    const dying: Pick<BlockStore, 'get'> = { get: async cid => { if (++reads > 5) throw new Error('tab closed'); return store.get(cid) } }
    const search = searches([provider('a', dying)])
    const client = new MemoryStore()
    await expect(download(root, { store: client, timeouts: { goneGraceMs: 300, rediscoveryGapMs: 50 }, findPeers: search.findPeers }))
      .rejects.toHaveProperty('name', 'ProviderGoneError')
    expect(await client.has(root)).toBe(true)
    expect(search.calls).toBeGreaterThan(1) // it kept looking before giving up
  })

  it('a provider that only sends wrong bytes fails the download with BlockVerificationError, without waiting out the grace time, and nothing bad is stored', async () => {
    const { store, root } = await seededStore()
    const client = new MemoryStore()
    await expect(download(root, { store: client, timeouts: { goneGraceMs: 60_000 }, findPeers: searches([provider('liar', lying(store))]).findPeers }))
      .rejects.toHaveProperty('name', 'BlockVerificationError')
    for (const [key] of blocksOf(client)) expect(blocksOf(store).some(([k]) => k === key)).toBe(true)
    expect(blocksOf(client).filter(([key]) => CID.parse(key).code === 0x55)).toHaveLength(0)
  })
})

describe('many sources', () => {
  it('two providers both serve blocks', async () => {
    const { store, root, bytes } = await seededStore()
    const a = provider('a', store)
    const b = provider('b', store)
    const result = await download(root, { maxWindow: 4, findPeers: searches([a, b]).findPeers })
    const counts = new Map(result.sources.map(s => [s.peer, s.blocks]))
    expect(counts.get('a')).toBeGreaterThan(0)
    expect(counts.get('b')).toBeGreaterThan(0)
    expect((counts.get('a') ?? 0) + (counts.get('b') ?? 0)).toBe(LEAVES + 2)
    expect(await fileHash(result.store, root.toString())).toBe(await sha256Hex(bytes))
  })

  it('a wrong block from one provider is asked again of the honest one; the liar is blamed, nothing bad is stored', async () => {
    const { store, root, bytes } = await seededStore()
    const honest = provider('honest', store)
    const client = new MemoryStore()
    const warnings: string[] = []
    const swarm = new Swarm({ store: client, maxWindow: 4, onWarning: err => warnings.push(err.message) })
    await download(root, { store: client, swarm, findPeers: searches([provider('liar', lying(store)), honest]).findPeers })
    swarm.stop()
    expect(warnings.some(w => w.includes('liar') && w.includes('bad block'))).toBe(true)
    expect(warnings.some(w => w.includes('honest'))).toBe(false)
    expect(await fileHash(client, root.toString())).toBe(await sha256Hex(bytes))
  })

  it('a provider that stalls mid-transfer costs a stall, not a timeout: its blocks are asked elsewhere', async () => {
    const { store, root, bytes } = await seededStore()
    const stalling = stallingStore(store, 6)
    const gaps: number[] = []
    let last = performance.now()
    const result = await download(root, {
      timeouts: { stallMinMs: 300 },
      findPeers: searches([provider('stalls', stalling), provider('steady', store)]).findPeers,
      onProgress: () => { const now = performance.now(); gaps.push(now - last); last = now }
    })
    expect(await fileHash(result.store, root.toString())).toBe(await sha256Hex(bytes))
    expect(Math.max(...gaps)).toBeLessThan(5_000) // the session timeout (30 s) was not what unblocked it
    stalling.release()
  })

  it('a provider that leaves mid-transfer: the others take its blocks at once', async () => {
    const { store, root, bytes } = await seededStore()
    const leaving = provider('leaves', store)
    const staying = provider('stays', store)
    let cut = false
    const result = await download(root, {
      maxWindow: 4,
      findPeers: searches([leaving, staying]).findPeers,
      onProgress: p => {
        if (!cut && p.blocksFetched >= 6) { cut = true; leaving.stream?.abort(new Error('tab closed')) }
      }
    })
    expect(cut).toBe(true)
    expect(result.sources.find(s => s.peer === 'stays')?.blocks).toBeGreaterThan(0)
    expect(await fileHash(result.store, root.toString())).toBe(await sha256Hex(bytes))
  })

  it('a slow provider never holds the tail: what it owes is raced by the fast one', async () => {
    const { store, root } = await seededStore()
    const slowMs = 2_000
    const slow = delayedStore(store, slowMs)
    const started = performance.now()
    await download(root, { maxWindow: 8, findPeers: searches([provider('slow', slow), provider('fast', store)]).findPeers })
    // holding its first window of 8 to the end would take 16 s
    expect(performance.now() - started).toBeLessThan(4 * slowMs)
  })

  it('a chain: a peer that is itself still downloading is asked again for what it lacked', async () => {
    const { store, root, bytes } = await seededStore()
    const middle = new MemoryStore()
    const blocks = blocksOf(store) // leaves first, then the file node, then the root directory
    const first = [...blocks.slice(-2), ...blocks.slice(0, 6)]
    for (const [key, block] of first) await middle.put(CID.parse(key), block) // what the middle peer has so far
    let filled = false
    const result = await download(root, {
      timeouts: { lackRetryMs: 100 },
      findPeers: searches([provider('middle', middle)]).findPeers,
      onProgress: async p => {
        if (filled || p.blocksFetched < 8) return
        filled = true // the middle peer's own download goes on
        for (const [key, block] of blocks.slice(6, -2)) await middle.put(CID.parse(key), block)
      }
    })
    expect(filled).toBe(true)
    expect(await fileHash(result.store, root.toString())).toBe(await sha256Hex(bytes))
  })

  it('two transfers at once share one swarm and one provider', async () => {
    const one = await seededStore()
    const two = await seededStore(new Uint8Array(CHUNK_SIZE * 5 + 7).fill(7))
    for (const [key, block] of blocksOf(two.store)) await one.store.put(CID.parse(key), block)
    const both = provider('both', one.store)
    const client = new MemoryStore()
    const swarm = new Swarm({ store: client, maxWindow: 8 })
    const [a, b] = await Promise.all([
      download(one.root, { store: client, swarm, findPeers: searches([both]).findPeers }),
      download(two.root, { store: client, swarm, findPeers: searches([both]).findPeers })
    ])
    swarm.stop()
    expect(a.bytes).toBe(one.bytes.byteLength)
    expect(b.bytes).toBe(two.bytes.byteLength)
    expect(await fileHash(client, two.root.toString())).toBe(await sha256Hex(two.bytes))
  })
})

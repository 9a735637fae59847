import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { CHUNK_SIZE } from '../../app/core/constants.ts'
import { MemoryStore } from '../../app/core/storage/memory-store.ts'
import { Swarm } from '../../app/core/transfer/swarm.ts'
import { blocksOf, delayedStore, download, peerLatency, provider, searches, seededStore } from '../helpers/swarm-harness.ts'
import { patternBytes } from '../helpers/bytes.ts'
import type { BlockStore } from '../../app/core/storage/block-store.ts'

describe('providers shared by several downloads', () => {
  it('pausing and at once resuming one of two downloads that share a provider loses no want and keeps the shared link', async () => {
    const one = await seededStore()
    const two = await seededStore(patternBytes(CHUNK_SIZE * 30, 3))
    for (const [key, block] of blocksOf(two.store).slice(-2)) await one.store.put(CID.parse(key), block) // p holds only two's root and file node (it is downloading it itself)
    let gate: Promise<void> | undefined
    let open: () => void = () => {}
    const slow: Pick<BlockStore, 'get'> = { get: async cid => { await peerLatency(20); if (gate != null) await gate; return one.store.get(cid) } }
    const p = provider('p', slow)
    const q = provider('q', delayedStore(one.store, 20))
    const client = new MemoryStore()
    const warnings: string[] = []
    const swarm = new Swarm({ store: client, maxWindow: 8, timeouts: { lackRetryMs: 60_000 }, onWarning: err => warnings.push(err.message) })
    const stopTwo = new AbortController()
    let twoHasRoot!: () => void
    const twoRoot = new Promise<void>(resolve => { twoHasRoot = resolve })
    const t2 = download(two.root, { store: client, swarm, signal: stopTwo.signal, timeouts: { goneGraceMs: 60_000 }, onRootStored: twoHasRoot, findPeers: searches([p, q]).findPeers }).catch(err => err.name)
    await twoRoot
    await expect.poll(() => swarm.links().reduce((sum, l) => sum + l.inFlight, 0)).toBe(0) // two's leaves: DONT_HAVE, nothing of two's in flight now
    const ac = new AbortController()
    let paused = false
    const t1 = download(one.root, {
      store: client, swarm, signal: ac.signal, findPeers: searches([p, q]).findPeers,
      // paused at the first progress: sharers read ahead, so a later one may only come at the end
      onProgress: pr => { if (!paused && pr.blocksFetched >= 1) { paused = true; gate = new Promise(resolve => { open = resolve }); ac.abort() } }
    }).catch(() => 'paused')
    expect(await t1).toBe('paused')
    const again = download(one.root, { store: client, swarm, timeouts: { goneGraceMs: 60_000 }, findPeers: searches([p, q]).findPeers }) // resumed at once
    // the sharer was busy until the resumed download asked again: it dropped the cancelled wants meanwhile
    await expect.poll(() => swarm.links().find(l => l.peer === 'p')?.inFlight ?? 0).toBeGreaterThan(0)
    gate = undefined
    open()
    await again
    stopTwo.abort(); await t2
    swarm.stop()
    expect(warnings).toEqual([])
  }, 60_000)

  it('three equal providers: at most 10 % of the blocks are sent twice', async () => {
    const { store, root } = await seededStore(patternBytes(CHUNK_SIZE * 60, 5))
    const ps = ['a', 'b', 'c'].map(n => provider(n, delayedStore(store, 40)))
    const result = await download(root, { maxWindow: 32, findPeers: searches(ps).findPeers })
    const served = ps.reduce((s, p) => s + p.served.length, 0)
    expect(served).toBeLessThanOrEqual(result.blocksFetched * 1.1)
  }, 60_000)
})

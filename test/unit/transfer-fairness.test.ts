import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { CHUNK_SIZE } from '../../app/core/constants.ts'
import { MemoryStore } from '../../app/core/storage/memory-store.ts'
import { Swarm } from '../../app/core/transfer/swarm.ts'
import { blocksOf, delayedStore, download, provider, searches, seededStore } from '../helpers/swarm-harness.ts'
import { patternBytes } from '../helpers/bytes.ts'

describe('several downloads from one peer', () => {
  it('a second download from the same peer takes turns with the first instead of waiting behind its whole queue', async () => {
    const big = await seededStore(patternBytes(CHUNK_SIZE * 120, 1))
    const small = await seededStore(patternBytes(CHUNK_SIZE * 3, 2))
    for (const [key, block] of blocksOf(small.store)) await big.store.put(CID.parse(key), block)
    // the sharer takes 10 ms a block (simulated peer latency, not a wait in the test), so the big download keeps a queue
    const p = provider('p', delayedStore(big.store, 10))
    const client = new MemoryStore()
    const swarm = new Swarm({ store: client, maxWindow: 8 })
    const t0 = performance.now()
    let bigDone = 0
    let smallDone = 0
    let bigQueued!: () => void
    const queued = new Promise<void>(resolve => { bigQueued = resolve })
    const b = download(big.root, { store: client, swarm, findPeers: searches([p]).findPeers, onProgress: pr => { if (pr.blocksFetched >= 3) bigQueued() } }).then(() => { bigDone = performance.now() - t0 })
    await queued
    const s = download(small.root, { store: client, swarm, findPeers: searches([p]).findPeers }).then(() => { smallDone = performance.now() - t0 })
    await Promise.all([b, s])
    swarm.stop()
    expect(smallDone).toBeLessThan(bigDone / 2)
  }, 60_000)
})

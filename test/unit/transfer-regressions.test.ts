import { streamPair } from '@libp2p/utils'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { decodeRequests, encodeBlock } from '../../app/core/protocol/block-codec.ts'
import { BlockSession } from '../../app/core/transfer/block-session.ts'
import { MemoryStore } from '../../app/core/storage/memory-store.ts'
import { Swarm } from '../../app/core/transfer/swarm.ts'
import { TransferManager } from '../../app/core/transfer/transfers.ts'
import { BlockNotFoundError } from '../../app/core/errors.ts'
import { blocksOf, delayedStore, download, peerLatency, provider, searches, seededStore } from '../helpers/swarm-harness.ts'
import type { BlockStore } from '../../app/core/storage/block-store.ts'
import type { DownloadResult } from '../../app/core/types.ts'

async function block (n: number) {
  const bytes = Uint8Array.of(n, n, n)
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
}

describe('transfer regressions (found in review)', () => {
  it('a CID wanted again after its CANCEL gets its answer, though the sharer dropped the cancelled one', async () => {
    const [client, server] = await streamPair()
    const events: string[] = []
    let closed: { err?: Error } | undefined
    const s = new BlockSession('sharer', client, {
      onBlock: cid => { events.push(`block ${cid}`) },
      onDontHave: cid => { events.push(`dont-have ${cid}`) },
      onClose: err => { closed = { err } }
    })
    void (async () => { for await (const _ of decodeRequests(server)) {} })().catch(() => {})
    const [x, y] = await Promise.all([block(1), block(2)])
    s.want([x.cid]) // transfer T1 wants x
    s.cancel([x.cid]) // T1 paused: CANCEL x; the sharer drops it (it was still queued)
    s.want([x.cid, y.cid]) // T1 resumed (link kept open by T2): wants x again, then y
    server.send(encodeBlock(x.cid, x.bytes)) // the one answer to the live want
    server.send(encodeBlock(y.cid, y.bytes))
    await expect.poll(() => events.length === 2 || closed != null).toBe(true)
    expect(closed?.err?.name).toBeUndefined() // actual: ProtocolError (answer for y does not match the request x)
    expect(events).toEqual([`block ${x.cid}`, `block ${y.cid}`]) // actual: []
  })

  it('a resumed download whose only provider is itself still downloading waits for it (chain A -> B -> C), not NoProvidersError', async () => {
    const { store, root } = await seededStore()
    const middle = new MemoryStore()
    const client = new MemoryStore()
    const blocks = blocksOf(store) // leaves first, then the file node, then the root directory
    const first = [...blocks.slice(-2), ...blocks.slice(0, 6)]
    for (const [key, bytes] of first) { await middle.put(CID.parse(key), bytes); await client.put(CID.parse(key), bytes) } // C resumes where B is now
    // B gets the rest once it has told C it lacks them (its own download goes on)
    let filling: Promise<void> | undefined
    const downloading: Pick<BlockStore, 'get'> = {
      get: async cid => {
        if (!(await middle.has(cid))) filling ??= (async () => { for (const [key, bytes] of blocks) await middle.put(CID.parse(key), bytes) })()
        return middle.get(cid)
      }
    }
    const result = await download(root, { store: client, timeouts: { lackRetryMs: 100, goneGraceMs: 10_000 }, findPeers: searches([provider('middle', downloading)]).findPeers })
    expect(filling).toBeDefined() // C was told B lacked blocks, and waited for B
    expect(result.blocksFetched).toBeGreaterThan(0)
  })

  it('a provider that has the root but never the rest: ProviderGoneError after the grace time, though each re-ask briefly looks like progress', async () => {
    const { store, root } = await seededStore()
    const middle = new MemoryStore()
    const blocks = blocksOf(store)
    for (const [key, bytes] of [...blocks.slice(-2), ...blocks.slice(0, 6)]) await middle.put(CID.parse(key), bytes)
    // a real network: a DONT_HAVE takes a round trip to come back (simulated peer latency, not a wait in the test)
    const slowMiss: Pick<BlockStore, 'get'> = {
      get: async cid => {
        if (!(await middle.has(cid))) { await peerLatency(60); throw new BlockNotFoundError(cid.toString()) }
        return middle.get(cid)
      }
    }
    const ac = new AbortController()
    const started = performance.now()
    const outcome = download(root, { signal: ac.signal, timeouts: { lackRetryMs: 100, goneGraceMs: 500, rediscoveryGapMs: 50 }, findPeers: searches([provider('middle', slowMiss)]).findPeers })
      .then(() => 'done', (err: Error) => `${err.name} after ${Math.round(performance.now() - started)} ms`)
    const limit = new Promise(resolve => setTimeout(() => { resolve('still running after 8 s (grace 0.5 s)'); ac.abort() }, 8_000))
    expect(await Promise.race([outcome, limit])).toMatch(/^ProviderGoneError/)
  }, 15_000)

  it('the endgame does not ask for duplicates while the file is far from done (two equal providers)', async () => {
    const { store, root } = await seededStore()
    const a = provider('a', delayedStore(store, 40))
    const b = provider('b', delayedStore(store, 40))
    const result = await download(root, { maxWindow: 32, findPeers: searches([a, b]).findPeers })
    const needed = result.blocksFetched
    const served = a.served.length + b.served.length
    expect(served).toBeLessThanOrEqual(needed + 4)
  })

  it('transfer.done() (and so peer.download()) rejects when the peer stops', async () => {
    const run = async (_cid: string, signal: AbortSignal): Promise<DownloadResult> => new Promise((_resolve, reject) => { signal.addEventListener('abort', () => { reject(signal.reason) }) })
    const manager = new TransferManager({ records: new MemoryStore(), run })
    const t = manager.start('bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy')
    manager.stop() // what peer.stop() does
    await expect(t.done()).rejects.toHaveProperty('name', 'AbortError')
  })
})

describe('giving up on time', () => {
  it('a search that hangs does not hold off ProviderGoneError', async () => {
    const { store, root } = await seededStore()
    let reads = 0
    const dying: Pick<BlockStore, 'get'> = { get: async cid => { if (++reads > 5) throw new Error('tab closed'); return store.get(cid) } }
    const a = provider('a', dying)
    let calls = 0
    const findPeers = async function * (signal: AbortSignal, reuse: (peer: string) => boolean) {
      if (calls++ === 0) { if (!reuse(a.peer)) yield await a.open(); return }
      await new Promise((_resolve, reject) => { signal.addEventListener('abort', () => { reject(signal.reason) }) }) // hangs until the run ends
    }
    const ac = new AbortController()
    const outcome = download(root, { signal: ac.signal, timeouts: { goneGraceMs: 300, rediscoveryGapMs: 50 }, findPeers }).then(() => 'done', (err: Error) => err.name)
    const limit = new Promise(resolve => setTimeout(() => { resolve('still running after 5 s (grace 0.3 s)'); ac.abort() }, 5_000))
    expect(await Promise.race([outcome, limit])).toBe('ProviderGoneError')
  }, 10_000)
})

import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { MemoryStore } from '../../app/core/storage/memory-store.ts'
import { fetchFirst } from '../../app/core/transfer/fetch-first.ts'
import { Swarm } from '../../app/core/transfer/swarm.ts'
import { WantList, type WantOwner } from '../../app/core/transfer/want-list.ts'
import { collect, sha256Hex } from '../helpers/bytes.ts'
import { blocksOf, download, provider, searches, seededStore, stallingStore } from '../helpers/swarm-harness.ts'
import { readFile } from '../../app/core/content/read-file.ts'
import type { DagPosition } from '../../app/core/transfer/dag-position.ts'

const part = (c: CID): DagPosition => ({ cid: c, role: 'part', copies: 1, depth: 1, expectedBytes: 1 })

describe('want list priority', () => {
  it('a prioritized want is asked before retries and every transfer\'s queue', async () => {
    const list = new WantList()
    const a: WantOwner = { root: 'a' }
    const b: WantOwner = { root: 'b' }
    const cids = await Promise.all([1, 2, 3, 4].map(async n => CID.createV1(raw.code, await sha256.digest(Uint8Array.of(n)))))
    for (const c of cids.slice(0, 3)) list.add({ owner: a, position: part(c) })
    const { want } = list.add({ owner: b, position: part(cids[3]!) })
    list.prioritize(list.get(cids[2]!.toString())!)
    list.prioritize(want)
    expect([...list.queued()].map(w => w.cid.toString())).toEqual([cids[2], cids[3], cids[0], cids[1]].map(String))
    expect(list.queuedCount).toBe(4)
    list.ask(want, 'peer', 0)
    expect([...list.queued()].map(w => w.cid.toString())).toEqual([cids[2], cids[0], cids[1]].map(String))
  })
})

describe('fetchFirst', () => {
  it('fetches a block far ahead of the download first, stored, and the download still completes whole', async () => {
    const { store, root, bytes } = await seededStore() // root folder, file node, 21 leaves
    const stalling = stallingStore(store, 4) // the sharer answers 4 reads, then waits
    const a = provider('a', stalling)
    const client = new MemoryStore()
    const swarm = new Swarm({ store: client, maxWindow: 2 })
    const done = download(root, { store: client, swarm, findPeers: searches([a]).findPeers })
    await stalling.stalled
    const last = CID.parse(blocksOf(store).find(([key]) => key.startsWith('bafk'))![0]) // a raw leaf
    const leaves = blocksOf(store).filter(([key]) => key.startsWith('bafk')).map(([key]) => key)
    const target = CID.parse(leaves[leaves.length - 1]!)
    expect(await client.has(target)).toBe(false)
    const first = fetchFirst(swarm, client, root.toString(), [target])
    stalling.release()
    await first
    expect(await client.has(target)).toBe(true)
    // asked as soon as a window slot freed: long before its turn in the file's order
    expect(a.served.indexOf(target.toString())).toBeLessThan(8)
    expect(a.served.indexOf(target.toString())).toBeGreaterThan(-1)
    const result = await done
    swarm.stop()
    expect(await sha256Hex(await collect(readFile(client, root, 'data.bin')))).toBe(await sha256Hex(bytes))
    expect(result.blocksFetched + result.blocksLocal).toBe(blocksOf(store).length)
    expect(last).toBeDefined()
  })

  it('resolves at once for stored blocks, and says NotDownloadingError when no download of the share has a peer', async () => {
    const { store, root } = await seededStore()
    const swarm = new Swarm({ store, maxWindow: 2 })
    await fetchFirst(swarm, store, root.toString(), [root]) // stored already
    const client = new MemoryStore()
    await expect(fetchFirst(swarm, client, root.toString(), [root])).rejects.toMatchObject({ name: 'NotDownloadingError' })
    swarm.stop()
  })

  it('is aborted by its signal, and releases its wants', async () => {
    const { store, root } = await seededStore()
    const stalling = stallingStore(store, 2)
    const a = provider('a', stalling)
    const client = new MemoryStore()
    const swarm = new Swarm({ store: client, maxWindow: 2 })
    const controller = new AbortController()
    const done = download(root, { store: client, swarm, findPeers: searches([a]).findPeers, signal: controller.signal })
    await stalling.stalled
    const leaf = CID.parse(blocksOf(store).filter(([key]) => key.startsWith('bafk')).at(-1)![0])
    const abort = new AbortController()
    const first = fetchFirst(swarm, client, root.toString(), [leaf], { signal: abort.signal })
    abort.abort()
    await expect(first).rejects.toMatchObject({ name: 'AbortError' })
    controller.abort()
    stalling.release()
    await done.catch(() => {})
    swarm.stop()
  })
})

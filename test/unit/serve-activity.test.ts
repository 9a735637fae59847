import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { importShare } from '../../app/core/content/import-share.ts'
import { ServeActivity } from '../../app/core/serve/serve-activity.ts'
import { ShareIndex } from '../../app/core/serve/share-index.ts'
import { MemoryStore } from '../../app/core/storage/memory-store.ts'
import { patternBytes } from '../helpers/bytes.ts'

/** 600 KB: three raw leaves under a file node, under the share's directory (5 blocks). */
const FILE_BYTES = 600_000
const IDLE_MS = 10_000

async function setup (options: { maxBlocks?: number } = {}) {
  const store = new MemoryStore()
  let clock = 1_000
  const roots: string[] = []
  const share = async (name: string, bytes: Uint8Array): Promise<string> => {
    const { cid } = await importShare([{ name, content: new Blob([bytes as Uint8Array<ArrayBuffer>]) }], store)
    roots.push(cid)
    return cid
  }
  const index = new ShareIndex({ store, roots: async () => [...roots], maxBlocks: options.maxBlocks, now: () => clock })
  const activity = new ServeActivity({ index, idleMs: IDLE_MS, now: () => clock, pathOf: async peer => peer === 'turn-peer' ? { route: 'turn', local: 'relay', remote: 'host', protocol: 'udp' } : undefined })
  /** Serve every stored block of the store to `peer` (what a downloader of every share would get). */
  const blocksOf = async (): Promise<Array<{ cid: string, bytes: number }>> => {
    const out: Array<{ cid: string, bytes: number }> = []
    for await (const cid of store.keys()) out.push({ cid: cid.toString(), bytes: (await store.get(cid)).byteLength })
    return out
  }
  return { store, index, activity, share, blocksOf, tick: (ms: number) => { clock += ms } }
}

describe('sharer activity', () => {
  it('counts each served block for its share and peer, and in the total; a whole share served reads 100 %', async () => {
    const { activity, share, blocksOf } = await setup()
    const cid = await share('a.bin', patternBytes(FILE_BYTES, 1))
    const blocks = await blocksOf()
    expect(blocks).toHaveLength(5)
    const [first, ...rest] = blocks
    await activity.served(first!.cid, 'bob', first!.bytes)
    const early = activity.snapshot()
    expect(early.downloads).toHaveLength(1)
    expect(early.downloads[0]).toMatchObject({ peer: 'bob', cid, blocks: 1, bytes: first!.bytes })
    expect(early.downloads[0]!.fraction).toBeGreaterThan(0)
    expect(early.downloads[0]!.fraction).toBeLessThan(1)

    for (const block of rest) await activity.served(block.cid, 'bob', block.bytes)
    const total = blocks.reduce((sum, b) => sum + b.bytes, 0)
    const done = activity.snapshot()
    expect(done.bytesServed).toBe(total)
    expect(done.blocksServed).toBe(5)
    expect(done.downloads).toEqual([expect.objectContaining({ peer: 'bob', cid, blocks: 5, bytes: total, fraction: 1 })])
  })

  it('keeps peers and shares apart; a block two shares hold counts for both', async () => {
    const { activity, share, store } = await setup()
    const bytes = patternBytes(FILE_BYTES, 2)
    const first = await share('first.bin', bytes)
    const second = await share('second.bin', bytes) // same file, other name: only the directory differs
    const fileNode = (await importShare([{ name: 'x', content: new Blob([bytes]) }], new MemoryStore())).files[0]!.cid
    expect(await store.has(CID.parse(fileNode))).toBe(true)
    await activity.served(fileNode, 'bob', FILE_BYTES) // the file node, in both shares
    await activity.served(second, 'carol', 100)
    const { downloads } = activity.snapshot()
    expect(downloads.map(d => `${d.peer}:${d.cid === first ? 'first' : 'second'}`).sort()).toEqual(['bob:first', 'bob:second', 'carol:second'])
  })

  it('an entry expires once its peer asked for nothing in the idle time; a later block starts a new one', async () => {
    const { activity, share, tick } = await setup()
    const cid = await share('a.bin', patternBytes(1000, 3))
    await activity.served(cid, 'bob', 1000)
    tick(IDLE_MS)
    expect(activity.snapshot().downloads).toHaveLength(1) // not yet: exactly the idle time
    tick(1)
    expect(activity.snapshot().downloads).toEqual([])
    await activity.served(cid, 'bob', 1000)
    expect(activity.snapshot().downloads).toEqual([expect.objectContaining({ blocks: 1, bytes: 1000 })])
    expect(activity.snapshot().bytesServed).toBe(2000)
  })

  it('a block of no share counts only in the total; a share added later is found once the index is invalidated', async () => {
    const { activity, share, index } = await setup()
    await activity.served('bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy', 'bob', 10)
    expect(activity.snapshot()).toMatchObject({ bytesServed: 10, downloads: [] })
    const cid = await share('late.bin', patternBytes(1000, 4))
    index.invalidate()
    await activity.served(cid, 'bob', 1000)
    expect(activity.snapshot().downloads).toEqual([expect.objectContaining({ cid, bytes: 1000 })])
  })

  it('marks the route once the connection path is known', async () => {
    const { activity, share } = await setup()
    const cid = await share('a.bin', patternBytes(1000, 5))
    await activity.served(cid, 'turn-peer', 1000)
    await expect.poll(() => activity.snapshot().downloads[0]?.route).toBe('turn')
    await activity.served(cid, 'other', 1000)
    expect(activity.snapshot().downloads.find(d => d.peer === 'other')?.route).toBeUndefined()
  })

  it('indexes at most maxBlocks blocks', async () => {
    const { index, share } = await setup({ maxBlocks: 3 })
    const cid = await share('a.bin', patternBytes(FILE_BYTES, 6))
    expect(await index.sharesOf(cid)).toEqual([cid])
    expect(index.size).toBe(3)
  })
})

import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { importShare } from '../../app/core/content/import-share.ts'
import { NoDirectConnectionError } from '../../app/core/errors.ts'
import { MemoryStore } from '../../app/core/storage/memory-store.ts'
import { storedBytes } from '../../app/core/transfer/stored-bytes.ts'
import { TransferManager } from '../../app/core/transfer/transfers.ts'
import { patternBytes } from '../helpers/bytes.ts'
import type { DownloadProgress, DownloadResult, TransferState } from '../../app/core/types.ts'

const CIDS = [
  'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy',
  'bafkreidon73zkcrwdb5iafqtijxildoonbwnpv7dyd6ef3qdgads2jc4su',
  'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku'
]

/** A run the test finishes by hand: one deferred per started run. */
function manualRuns () {
  const runs: Array<{ cid: string, signal: AbortSignal, finish: () => void, fail: (err: Error) => void, progress: (p: DownloadProgress) => void }> = []
  const run = async (cid: string, signal: AbortSignal, onProgress: (p: DownloadProgress) => void): Promise<DownloadResult> => new Promise((resolve, reject) => {
    signal.addEventListener('abort', () => { reject(signal.reason) })
    runs.push({
      cid,
      signal,
      progress: onProgress,
      finish: () => { resolve({ cid, files: [], totalBytes: 0, blocksFetched: 1, blocksLocal: 0, paths: [], sources: [] }) },
      fail: err => { reject(err) }
    })
  })
  return { runs, run }
}

function states (transfer: { addEventListener: (type: 'state', l: (e: CustomEvent<TransferState>) => void) => void }): TransferState[] {
  const seen: TransferState[] = []
  transfer.addEventListener('state', event => { seen.push(event.detail) })
  return seen
}

describe('transfers', () => {
  it('runs at most maxRunning at once and starts the queued one when a slot frees', async () => {
    const { runs, run } = manualRuns()
    const manager = new TransferManager({ records: new MemoryStore(), run, maxRunning: 2 })
    const [a, b, c] = CIDS.map(cid => manager.start(cid))
    expect([a?.state, b?.state, c?.state]).toEqual(['running', 'running', 'queued'])
    runs[0]?.finish()
    expect(await a?.done()).toMatchObject({ cid: CIDS[0] })
    expect(c?.state).toBe('running')
    expect(runs.map(r => r.cid)).toEqual(CIDS)
  })

  it('a second start of the same CID returns the same transfer and never stops it', () => {
    const { runs, run } = manualRuns()
    const manager = new TransferManager({ records: new MemoryStore(), run })
    const first = manager.start(CIDS[0]!)
    expect(manager.start(`https://chiral.example/#/${CIDS[0]}`)).toBe(first)
    expect(runs).toHaveLength(1)
    expect(runs[0]?.signal.aborted).toBe(false)
  })

  it('pause aborts the run and remembers it; resume runs again; progress events carry the run\'s progress', async () => {
    const { runs, run } = manualRuns()
    const records = new MemoryStore()
    await records.putShare({ cid: CIDS[0]!, files: [], totalBytes: 0, origin: 'downloaded', complete: false, updatedAt: 0 })
    const manager = new TransferManager({ records, run })
    const transfer = manager.start(CIDS[0]!)
    const seen = states(transfer)
    const progress: number[] = []
    transfer.addEventListener('progress', event => { progress.push(event.detail.bytes) })
    runs[0]?.progress({ phase: 'transferring', bytes: 10, blocksFetched: 1, blocksLocal: 0, peers: 1, bytesPerSecond: 1 })
    transfer.pause()
    expect(runs[0]?.signal.aborted).toBe(true)
    await expect.poll(async () => (await records.getShare(CIDS[0]!))?.paused).toBe(true)
    transfer.resume()
    expect(runs).toHaveLength(2)
    await expect.poll(async () => (await records.getShare(CIDS[0]!))?.paused).toBe(false)
    runs[1]?.finish()
    await transfer.done()
    expect(seen).toEqual(['paused', 'queued', 'running', 'done'])
    expect(progress).toEqual([10])
  })

  it('a failure is kept with its error; resume tries again', async () => {
    const { runs, run } = manualRuns()
    const manager = new TransferManager({ records: new MemoryStore(), run })
    const transfer = manager.start(CIDS[0]!)
    const gone = Object.assign(new Error('gone'), { name: 'ProviderGoneError' })
    runs[0]?.fail(gone)
    await expect(transfer.done()).rejects.toBe(gone)
    expect(transfer.state).toBe('failed')
    transfer.resume()
    expect(transfer.state).toBe('running')
    runs[1]?.finish()
    await expect(transfer.done()).resolves.toMatchObject({ cid: CIDS[0] })
  })

  it('cancel ends it with AbortError and forgets its unfinished record', async () => {
    const { runs, run } = manualRuns()
    const records = new MemoryStore()
    await records.putShare({ cid: CIDS[1]!, files: [], totalBytes: 0, origin: 'downloaded', complete: false, updatedAt: 0 })
    const manager = new TransferManager({ records, run })
    const transfer = manager.start(CIDS[1]!)
    transfer.cancel()
    expect(runs[0]?.signal.aborted).toBe(true)
    await expect(transfer.done()).rejects.toHaveProperty('name', 'AbortError')
    await expect.poll(async () => records.getShare(CIDS[1]!)).toBeUndefined()
  })

  it('restores what a previous visit left unfinished: running ones resume, paused ones stay paused, complete ones are left alone', async () => {
    const { runs, run } = manualRuns()
    const records = new MemoryStore()
    await records.putShare({ cid: CIDS[0]!, files: [], totalBytes: 0, origin: 'downloaded', complete: false, updatedAt: 0 })
    await records.putShare({ cid: CIDS[1]!, files: [], totalBytes: 0, origin: 'downloaded', complete: false, paused: true, updatedAt: 0 })
    await records.putShare({ cid: CIDS[2]!, files: [], totalBytes: 0, origin: 'downloaded', complete: true, updatedAt: 0 })
    const manager = new TransferManager({ records, run })
    const added: string[] = []
    manager.addEventListener('added', event => { added.push(event.detail.cid) })
    await manager.restore()
    expect(added.sort()).toEqual([CIDS[0], CIDS[1]].sort())
    expect(manager.get(CIDS[0]!)?.state).toBe('running')
    expect(manager.get(CIDS[1]!)?.state).toBe('paused')
    expect(runs.map(r => r.cid)).toEqual([CIDS[0]])
  })

  it('stopping the peer ends the runs without marking them paused, so the next visit resumes them', async () => {
    const { runs, run } = manualRuns()
    const records = new MemoryStore()
    await records.putShare({ cid: CIDS[0]!, files: [], totalBytes: 0, origin: 'downloaded', complete: false, updatedAt: 0 })
    const manager = new TransferManager({ records, run })
    manager.start(CIDS[0]!)
    let writes = 0
    const putShare = records.putShare.bind(records)
    records.putShare = async record => { writes++; return putShare(record) }
    manager.stop()
    expect(runs[0]?.signal.aborted).toBe(true)
    await new Promise(resolve => setImmediate(resolve)) // every microtask a record write would take has run
    expect(writes).toBe(0)
    expect((await records.getShare(CIDS[0]!))?.paused).toBeUndefined()
  })

  it('a failed download is restored as failed after a reload, with its error, and does not run until resumed', async () => {
    const records = new MemoryStore()
    await records.putShare({ cid: CIDS[0]!, files: [], totalBytes: 0, origin: 'downloaded', complete: false, updatedAt: 0 })
    const before = manualRuns()
    const first = new TransferManager({ records, run: before.run })
    const transfer = first.start(CIDS[0]!)
    before.runs[0]?.fail(new NoDirectConnectionError(CIDS[0]!, { turnConfigured: true }))
    await expect(transfer.done()).rejects.toHaveProperty('name', 'NoDirectConnectionError')
    await expect.poll(async () => (await records.getShare(CIDS[0]!))?.failure?.name).toBe('NoDirectConnectionError')
    first.stop()

    // the next visit
    const after = manualRuns()
    const second = new TransferManager({ records, run: after.run })
    await second.restore()
    const restored = second.get(CIDS[0]!)
    expect(restored?.state).toBe('failed')
    expect(restored?.error).toMatchObject({ name: 'NoDirectConnectionError', turnConfigured: true })
    expect(after.runs).toHaveLength(0)
    restored?.resume()
    expect(restored?.state).toBe('running')
    await expect.poll(async () => (await records.getShare(CIDS[0]!))?.failure).toBeUndefined()
  })

  it('a restored paused or failed download shows the bytes already stored before it runs', async () => {
    const records = new MemoryStore()
    await records.putShare({ cid: CIDS[0]!, files: [], totalBytes: 0, origin: 'downloaded', complete: false, paused: true, updatedAt: 0 })
    const { run, runs } = manualRuns()
    const manager = new TransferManager({ records, run, measure: async () => ({ bytes: 5_000, totalBytes: 20_000 }) })
    await manager.restore()
    const transfer = manager.get(CIDS[0]!)!
    await expect.poll(() => transfer.progress?.bytes).toBe(5_000)
    expect(transfer.progress).toMatchObject({ totalBytes: 20_000, bytesPerSecond: 0, peers: 0 })
    expect(transfer.state).toBe('paused')

    // resumed: its walk starts from nothing, but what is stored stays shown
    transfer.resume()
    runs[0]?.progress({ phase: 'transferring', bytes: 1_000, totalBytes: 20_000, blocksFetched: 0, blocksLocal: 1, peers: 1, bytesPerSecond: 0 })
    expect(transfer.progress?.bytes).toBe(5_000)
    runs[0]?.progress({ phase: 'transferring', bytes: 7_000, totalBytes: 20_000, blocksFetched: 2, blocksLocal: 4, peers: 1, bytesPerSecond: 900 })
    expect(transfer.progress?.bytes).toBe(7_000)
  })

  it('speed and peers fall to 0 when a run ends (pause, failure), the bytes stay; a resumed run starts with no speed', () => {
    const { runs, run } = manualRuns()
    const manager = new TransferManager({ records: new MemoryStore(), run })
    const transfer = manager.start(CIDS[0]!)
    runs[0]?.progress({ phase: 'transferring', bytes: 10, blocksFetched: 1, blocksLocal: 0, peers: 2, bytesPerSecond: 5_000_000, sources: [{ peer: 'p', blocks: 1, bytes: 10 }] })
    transfer.pause()
    expect(transfer.progress).toMatchObject({ bytes: 10, bytesPerSecond: 0, peers: 0 })
    transfer.resume()
    expect(transfer.progress).toMatchObject({ bytes: 10, bytesPerSecond: 0, peers: 0, phase: 'finding', sources: [] })
    runs[1]?.progress({ phase: 'transferring', bytes: 20, blocksFetched: 1, blocksLocal: 0, peers: 1, bytesPerSecond: 7 })
    runs[1]?.fail(new Error('boom'))
    return expect.poll(() => transfer.progress).toMatchObject({ bytes: 20, bytesPerSecond: 0, peers: 0 })
  })

  it('storedBytes counts what a download would find stored, without the network', async () => {
    const store = new MemoryStore()
    const bytes = patternBytes(600_000, 9) // three 256 KiB-or-less raw leaves under a file node, under a directory
    const { cid } = await importShare([{ name: 'a.bin', content: new Blob([bytes]) }], store)
    expect(await storedBytes(store, cid)).toEqual({ bytes: 600_000, totalBytes: 600_000 })
    const leaves: CID[] = []
    for await (const key of store.keys()) if (key.code === 0x55) leaves.push(key)
    expect(leaves).toHaveLength(3)
    const gone = (await store.get(leaves[0]!)).byteLength
    await store.delete(leaves[0]!)
    expect(await storedBytes(store, cid)).toEqual({ bytes: 600_000 - gone, totalBytes: 600_000 })
    expect(await storedBytes(store, CIDS[0]!)).toEqual({ bytes: 0 }) // nothing stored: size unknown
  })
})

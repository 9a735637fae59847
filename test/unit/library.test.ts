import { describe, expect, it } from 'vitest'
import { importShare } from '../../app/core/content/import-share.ts'
import { readFile } from '../../app/core/content/read-file.ts'
import { itemState } from '../../app/core/library/item-state.ts'
import { PeerLibrary } from '../../app/core/library/library.ts'
import { SweepWitness, witnessedStore } from '../../app/core/library/sweep-witness.ts'
import { MemoryStore } from '../../app/core/storage/memory-store.ts'
import { TransferManager } from '../../app/core/transfer/transfers.ts'
import { collect, patternBytes } from '../helpers/bytes.ts'
import type { ShareRecord } from '../../app/core/storage/block-store.ts'
import type { DownloadResult, Transfer, TransferState } from '../../app/core/types.ts'
import type { CID } from 'multiformats/cid'

/** 600 KB: three raw leaves under a file node, under the share's directory. */
const FILE_BYTES = 600_000

function setup () {
  const store = new MemoryStore()
  const witness = new SweepWitness()
  const runs: Array<{ cid: string, signal: AbortSignal, finish: () => void }> = []
  const run = async (cid: string, signal: AbortSignal): Promise<DownloadResult> => new Promise((resolve, reject) => {
    signal.addEventListener('abort', () => { reject(signal.reason) })
    runs.push({ cid, signal, finish: () => { resolve({ cid, files: [], totalBytes: 0, blocksFetched: 0, blocksLocal: 0, paths: [], sources: [] }) } })
  })
  const transfers = new TransferManager({ records: store, run })
  const announced: string[] = []
  const library = new PeerLibrary({ records: store, store, witness, transfers, announce: async cid => { announced.push(cid) }, online: () => true })
  const share = async (name: string, bytes: Uint8Array, origin: 'shared' | 'downloaded' = 'shared'): Promise<string> => {
    const result = await importShare([{ name, content: new Blob([bytes as Uint8Array<ArrayBuffer>]) }], witnessedStore(store, witness))
    await store.putShare({ cid: result.cid, files: result.files, totalBytes: result.totalBytes, origin, complete: true, updatedAt: Date.now() })
    return result.cid
  }
  return { store, witness, transfers, library, runs, announced, share }
}

async function keys (store: MemoryStore): Promise<string[]> {
  const out: string[] = []
  for await (const cid of store.keys()) out.push(cid.toString())
  return out.sort()
}

describe('library', () => {
  it('lists shares and downloads with their names, sizes and states, newest first', async () => {
    const { library, transfers, share } = setup()
    const cid = await share('a.bin', patternBytes(FILE_BYTES, 1))
    const other = await share('b.bin', patternBytes(1000, 2))
    transfers.start('bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy')
    const items = await library.list()
    expect(items.map(i => i.state).sort()).toEqual(['downloading', 'sharing', 'sharing'])
    expect(items.find(i => i.cid === cid)).toMatchObject({ names: ['a.bin'], totalBytes: FILE_BYTES, origin: 'shared', sharing: true })
    expect(items.find(i => i.cid === other)).toMatchObject({ names: ['b.bin'], totalBytes: 1000 })
  })

  it('delete removes the item and only the blocks no other item needs', async () => {
    const { library, store, share } = setup()
    const bytes = patternBytes(FILE_BYTES, 3)
    const first = await share('first.bin', bytes)
    const second = await share('second.bin', bytes) // same file under another name: only the directory differs
    const before = await keys(store)
    expect(before).toHaveLength(6) // 3 leaves + file node + 2 directories

    const { blocksDeleted } = await library.delete(first)
    expect(blocksDeleted).toBe(1)
    expect(await keys(store)).toEqual(before.filter(k => k !== first))
    expect((await library.list()).map(i => i.cid)).toEqual([second])
    expect(await collect(readFile(store, second, 'second.bin'))).toEqual(bytes)

    expect((await library.delete(second)).blocksDeleted).toBe(5)
    expect(await keys(store)).toEqual([])
  })

  it('delete during a running download keeps the blocks that download has stored', async () => {
    const { library, store, transfers, share } = setup()
    // what a half-done download left: the directory, the file node and one leaf of a share stored elsewhere
    const elsewhere = new MemoryStore()
    const remote = await importShare([{ name: 'big.bin', content: new Blob([patternBytes(FILE_BYTES, 4)]) }], elsewhere)
    const stored: CID[] = []
    for await (const cid of elsewhere.keys()) stored.push(cid)
    const partial = stored.filter(cid => cid.code !== 0x55).concat(stored.filter(cid => cid.code === 0x55).slice(0, 1))
    for (const cid of partial) await store.put(cid, await elsewhere.get(cid))
    const download = transfers.start(remote.cid)
    expect(download.state).toBe('running')

    const gone = await share('gone.bin', patternBytes(1000, 5))
    await library.delete(gone)
    for (const cid of partial) expect(await store.has(cid)).toBe(true)
    expect(await store.has(await firstKeyOf(gone))).toBe(false)
    expect(download.state).toBe('running')
  })

  it('delete cancels the item\'s own download and removes what it stored', async () => {
    const { library, store, transfers, runs, share } = setup()
    const kept = await share('kept.bin', patternBytes(1000, 6))
    const elsewhere = new MemoryStore()
    const remote = await importShare([{ name: 'half.bin', content: new Blob([patternBytes(FILE_BYTES, 7)]) }], elsewhere)
    for await (const cid of elsewhere.keys()) { await store.put(cid, await elsewhere.get(cid)); break }
    const download = transfers.start(remote.cid)
    await library.delete(remote.cid)
    expect(runs[0]?.signal.aborted).toBe(true)
    expect(download.state).toBe('cancelled')
    expect(transfers.get(remote.cid)).toBeUndefined()
    expect(await keys(store)).toHaveLength(2) // kept.bin: one raw leaf and its directory
    expect((await library.list()).map(i => i.cid)).toEqual([kept])
  })

  it('keeps a block the peer touched while the sweep ran (a share importing the same bytes)', async () => {
    const { library, store, witness, share } = setup()
    const bytes = patternBytes(1000, 8)
    const doomed = await share('doomed.bin', bytes)
    const leaf = (await keys(store)).find(k => k !== doomed) as string
    // the moment the sweep lists the keys, a new share writes the same leaf (its record not written yet)
    const keysOf = store.keys.bind(store)
    store.keys = async function * () {
      for await (const cid of keysOf()) yield cid
      await witnessedStore(store, witness).put((await import('multiformats/cid')).CID.parse(leaf), bytes)
    }
    expect((await library.delete(doomed)).blocksDeleted).toBe(1)
    expect(await keys(store)).toEqual([leaf])
  })

  it('stop sharing: not re-announced at start-up nor when a download stores its root; share again announces it', async () => {
    const { library, announced, share } = setup()
    const stopped = await share('stopped.bin', patternBytes(1000, 9))
    const shared = await share('shared.bin', patternBytes(1000, 10))
    await library.stopSharing(stopped)
    expect((await library.list()).find(i => i.cid === stopped)).toMatchObject({ state: 'stopped', sharing: false })

    await library.reprovide()
    expect(announced).toEqual([shared])
    await library.announceIfSharing(stopped)
    expect(announced).toEqual([shared])

    await library.shareAgain(stopped)
    expect(announced).toEqual([shared, stopped])
    expect((await library.list()).find(i => i.cid === stopped)).toMatchObject({ state: 'sharing', sharing: true })
    announced.length = 0
    await library.reprovide()
    expect(announced.sort()).toEqual([shared, stopped].sort())
  })

  it('stop sharing something not in the library throws NotInLibraryError', async () => {
    const { library } = setup()
    await expect(library.stopSharing('bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy')).rejects.toHaveProperty('name', 'NotInLibraryError')
  })

  it('a paused download lists as paused; every change is an event', async () => {
    const { library, transfers, share } = setup()
    const changes: string[] = []
    library.addEventListener('change', event => { changes.push(event.detail.cid) })
    const cid = await share('x.bin', patternBytes(1000, 11))
    library.changed(cid)
    const download = transfers.start('bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy')
    download.pause()
    expect((await library.list()).find(i => i.cid === download.cid)?.state).toBe('paused')
    await library.stopSharing(cid)
    expect(changes).toEqual([cid, download.cid, download.cid, download.cid, cid]) // shared; added, running, paused; stopped
  })
})

async function firstKeyOf (cid: string): Promise<CID> {
  return (await import('multiformats/cid')).CID.parse(cid)
}

describe('itemState', () => {
  const record = { cid: 'x', files: [], totalBytes: 10, origin: 'downloaded', complete: false, updatedAt: 0 } as ShareRecord
  const transfer = (state: TransferState): Transfer => ({ state }) as Transfer

  it('a download that ended with only the picked files is "picked", not downloading forever', () => {
    expect(itemState({ ...record, selection: ['a'] }, transfer('done'))).toBe('picked')
    expect(itemState({ ...record, selection: ['a'] }, transfer('running'))).toBe('downloading')
    expect(itemState({ ...record, selection: ['a'] }, undefined)).toBe('downloading') // not restored yet
    expect(itemState({ ...record, selection: ['a'], paused: true }, undefined)).toBe('paused')
    expect(itemState({ ...record, complete: true, selection: undefined }, transfer('done'))).toBe('sharing')
  })
})

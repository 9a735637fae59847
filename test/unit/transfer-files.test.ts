import * as dagPb from '@ipld/dag-pb'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { describe, expect, it } from 'vitest'
import { CHUNK_SIZE } from '../../app/core/constants.ts'
import { importShare } from '../../app/core/content/import-share.ts'
import { readFile } from '../../app/core/content/read-file.ts'
import { MemoryStore } from '../../app/core/storage/memory-store.ts'
import { FileSelection } from '../../app/core/transfer/file-selection.ts'
import { collect, patternBytes, sha256Hex } from '../helpers/bytes.ts'
import { download, provider, searches, stallingStore } from '../helpers/swarm-harness.ts'
import type { TransferFile } from '../../app/core/types.ts'

/** A tree of three levels: small files (raw entries) and files of several blocks (dag-pb roots). */
async function nestedShare () {
  const store = new MemoryStore()
  const files = [
    { path: 'top/a.txt', bytes: patternBytes(100, 1) },
    { path: 'top/big.bin', bytes: patternBytes(CHUNK_SIZE * 3 + 5, 2) },
    { path: 'top/sub/b.txt', bytes: patternBytes(2000, 3) },
    { path: 'top/sub/deep/c.bin', bytes: patternBytes(CHUNK_SIZE * 2 + 1, 4) },
    { path: 'top/sub/deep/d.txt', bytes: patternBytes(7, 5) }
  ]
  const share = await importShare(files.map(f => ({ name: f.path.split('/').at(-1)!, path: f.path, content: (async function * () { yield f.bytes })() })), store)
  return { store, share, root: CID.parse(share.cid), files }
}

describe('a download of a folder tree', () => {
  it('fetches every folder and file root before any file data, and shows the tree first', async () => {
    const { store, root, files } = await nestedShare()
    const a = provider('a', store)
    const seen: TransferFile[][] = []
    const totals: Array<number | undefined> = []
    const result = await download(root, {
      findPeers: searches([a]).findPeers,
      files: { onFiles: list => seen.push(list) },
      onProgress: p => { if (p.bytes === 0) totals.push(p.totalBytes) }
    })
    expect(totals).toContain(files.reduce((sum, f) => sum + f.bytes.byteLength, 0)) // the total is known before any data
    // structure: the root, top, sub, deep and the two dag-pb file roots; then data only
    const firstData = a.served.findIndex(cid => CID.parse(cid).code === raw.code)
    expect(firstData).toBe(6)
    expect(a.served.slice(0, firstData).every(cid => CID.parse(cid).code !== raw.code)).toBe(true)
    const whole = seen.find(list => list.length === files.length)
    expect(whole?.map(f => f.path)).toEqual(files.map(f => f.path).sort())
    expect(whole?.every(f => !f.complete || f.size < CHUNK_SIZE)).toBe(true) // told before the big files' data
    expect(seen.at(-1)?.every(f => f.complete && f.selected)).toBe(true)
    expect(result.partial).toBe(false)
    for (const f of files) expect(await sha256Hex(await collect(readFile(result.store, root, f.path)))).toBe(await sha256Hex(f.bytes))
  })

  it('a file of several blocks is complete as soon as its own blocks are stored, while others still run', async () => {
    const { store, root, share } = await nestedShare()
    const held = share.files.find(f => f.path === 'top/sub/deep/c.bin')!
    const heldLeaves = new Set(dagPb.decode(await store.get(CID.parse(held.cid))).Links.map(l => l.Hash.toString()))
    let release: () => void = () => {}
    const gate = new Promise<void>(resolve => { release = resolve })
    const gated = { get: async (cid: CID) => { if (heldLeaves.has(cid.toString())) await gate; return store.get(cid) } }
    let completeEarly = false
    const result = await download(root, {
      findPeers: searches([provider('a', gated)]).findPeers,
      files: {
        onFiles: list => {
          const whole = list.find(f => f.path === 'top/big.bin')
          const waiting = list.find(f => f.path === 'top/sub/deep/c.bin')
          if (whole?.complete === true && waiting?.complete === false) { completeEarly = true; release() }
        }
      }
    })
    expect(completeEarly).toBe(true) // Save offered for big.bin (4 blocks) while c.bin's data was held back
    expect(result.partial).toBe(false)
  })

  it('fetches only the selected files, then the rest once the selection widens', async () => {
    const { store, root, files } = await nestedShare()
    const a = provider('a', store)
    const selection = new FileSelection(['top/sub/deep/c.bin'])
    const client = new MemoryStore()
    let last: TransferFile[] = []
    const first = await download(root, { store: client, findPeers: searches([a], [a]).findPeers, files: { selection, onFiles: list => { last = list } } })
    expect(first.partial).toBe(true)
    const picked = files.find(f => f.path === 'top/sub/deep/c.bin')!
    expect(await sha256Hex(await collect(readFile(client, root, picked.path)))).toBe(await sha256Hex(picked.bytes))
    expect(last.filter(f => f.complete).map(f => f.path)).toEqual(['top/sub/deep/c.bin'])
    expect(last.filter(f => f.selected).map(f => f.path)).toEqual(['top/sub/deep/c.bin'])
    expect(first.files.map(f => f.path)).toEqual(files.map(f => f.path).sort()) // the whole tree is known
    const bytesServed = first.sources.reduce((sum, s) => sum + s.bytes, 0)
    expect(bytesServed).toBeLessThan(CHUNK_SIZE * 3) // c.bin and the folders, not big.bin
    for (const other of files.filter(f => f !== picked)) {
      await expect(collect(readFile(client, root, other.path))).rejects.toThrow()
    }

    // widening: a new run takes what is stored and fetches the rest
    selection.set(undefined)
    const second = await download(root, { store: client, findPeers: searches([a]).findPeers, files: { selection } })
    expect(second.partial).toBe(false)
    for (const f of files) expect(await sha256Hex(await collect(readFile(client, root, f.path)))).toBe(await sha256Hex(f.bytes))
  })

  it('widening the selection during a run fetches the newly selected file in the same run', async () => {
    const { store, root, files } = await nestedShare()
    const stalling = stallingStore(store, 6) // the folders and file roots, then the sharer waits
    const a = provider('a', stalling)
    const selection = new FileSelection(['top/a.txt'])
    let last: TransferFile[] = []
    const run = download(root, { findPeers: searches([a]).findPeers, files: { selection, onFiles: list => { last = list } } })
    await stalling.stalled
    await expect.poll(() => last.length).toBe(files.length) // the whole tree, before any data
    selection.set(['top/a.txt', 'top/big.bin'])
    stalling.release()
    const result = await run
    expect(result.partial).toBe(true)
    const big = files.find(f => f.path === 'top/big.bin')!
    expect(await sha256Hex(await collect(readFile(result.store, root, big.path)))).toBe(await sha256Hex(big.bytes))
    await expect(collect(readFile(result.store, root, 'top/sub/b.txt'))).rejects.toThrow()
    expect(last.filter(f => f.complete).map(f => f.path)).toEqual(['top/a.txt', 'top/big.bin'])
  })

  it('narrowing the selection during a run withdraws the wants of unpicked files', async () => {
    const { store, root, files } = await nestedShare()
    const stalling = stallingStore(store, 7) // the folders and file roots and one data block, then the sharer waits
    const a = provider('a', stalling)
    const selection = new FileSelection(undefined)
    let last: TransferFile[] = []
    const run = download(root, { findPeers: searches([a]).findPeers, files: { selection, onFiles: list => { last = list } } })
    await stalling.stalled
    await expect.poll(() => last.length).toBe(files.length)
    selection.set(['top/a.txt'])
    stalling.release()
    const result = await run
    expect(result.partial).toBe(true)
    const a1 = files.find(f => f.path === 'top/a.txt')!
    expect(await sha256Hex(await collect(readFile(result.store, root, a1.path)))).toBe(await sha256Hex(a1.bytes))
    const dataServed = a.served.filter(cid => CID.parse(cid).code === raw.code).length
    expect(dataServed).toBeLessThan(4) // of 11 data blocks: the one being read, perhaps one more, and a.txt
    await expect(collect(readFile(result.store, root, 'top/big.bin'))).rejects.toThrow()
  })
})

import * as dagPb from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'
import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { importShare } from '../../app/core/content/import-share.ts'
import { listFiles, readFile } from '../../app/core/content/read-file.ts'
import { MemoryStore } from '../../app/core/storage/memory-store.ts'
import { collect, patternBytes, sha256Hex } from '../helpers/bytes.ts'

const text = (s: string): AsyncIterable<Uint8Array> => (async function * () { yield new TextEncoder().encode(s) })()

async function links (store: MemoryStore, cid: CID | string) {
  const parsed = typeof cid === 'string' ? CID.parse(cid) : cid
  const node = dagPb.decode(await store.get(parsed))
  return { type: UnixFS.unmarshal(node.Data!).type, links: node.Links.map(l => ({ name: l.Name, cid: l.Hash.toString(), tsize: l.Tsize })) }
}

describe('content: importing a folder tree', () => {
  // Kubo's own vector (test/sharness/t0040-add-and-cat.sh, add_directory '--cid-version=1'):
  // `ipfs add -r --cid-version=1 planets` with mars.txt = "Hello Mars!\n", venus.txt = "Hello Venus!\n"
  it('gives the folder the CID Kubo gives it, wrapped in the share directory', async () => {
    const store = new MemoryStore()
    const result = await importShare([
      { name: 'venus.txt', path: 'planets/venus.txt', content: text('Hello Venus!\n') },
      { name: 'mars.txt', path: 'planets/mars.txt', content: text('Hello Mars!\n') }
    ], store)
    const root = await links(store, result.cid)
    expect(root.type).toBe('directory')
    expect(root.links.map(l => l.name)).toEqual(['planets'])
    expect(root.links[0]?.cid).toBe('bafybeih7e5dmkyk25up5vxug4q3hrg2fxbzf23dfrac2fns5h7z4aa7ioi')
    const planets = await links(store, root.links[0]!.cid)
    // Kubo's rules the CID rests on: links sorted by name bytes, raw leaves, Tsize of each entry
    expect(planets.links).toEqual([
      { name: 'mars.txt', cid: 'bafkreibmlvvgdyihetgocpof6xk64kjjzdeq2e4c7hqs3krdheosk4tgj4', tsize: 12 },
      { name: 'venus.txt', cid: 'bafkreihfsphazrk2ilejpekyltjeh5k4yvwgjuwg26ueafohqioeo3sdca', tsize: 13 }
    ])
    expect(result.files.map(f => f.path).sort()).toEqual(['planets/mars.txt', 'planets/venus.txt'])
  })

  // the empty UnixFS directory's CIDv1 (`ipfs object new unixfs-dir`, and the empty folder of any `ipfs add -r`)
  it('keeps an empty folder, as Kubo does, with the known CID of an empty directory', async () => {
    const store = new MemoryStore()
    const result = await importShare([
      { name: 'a.txt', path: 'album/a.txt', content: text('a') },
      { name: 'empty', path: 'album/empty' }
    ], store)
    const album = await links(store, (await links(store, result.cid)).links[0]!.cid)
    expect(album.links.map(l => l.name)).toEqual(['a.txt', 'empty'])
    expect(album.links[1]?.cid).toBe('bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354')
    expect(result.files.map(f => f.path)).toEqual(['album/a.txt']) // a folder is no file
    expect(result.totalBytes).toBe(1)
  })

  it('keeps three levels of folders, and reads every file back', async () => {
    const store = new MemoryStore()
    const inputs = [
      { path: 'top/a.txt', bytes: patternBytes(10, 1) },
      { path: 'top/sub/b.bin', bytes: patternBytes(300_000, 2) },
      { path: 'top/sub/deeper/c.bin', bytes: patternBytes(5, 3) },
      { path: 'top/other/d.txt', bytes: patternBytes(0, 4) }
    ]
    const result = await importShare(inputs.map(i => ({ name: i.path.split('/').at(-1)!, path: i.path, content: (async function * () { yield i.bytes })() })), store)
    const listed = await listFiles(store, result.cid)
    expect(listed.map(f => f.path).sort()).toEqual(inputs.map(i => i.path).sort())
    for (const input of inputs) {
      expect(await sha256Hex(await collect(readFile(store, result.cid, input.path)))).toBe(await sha256Hex(input.bytes))
    }
    const top = await links(store, (await links(store, result.cid)).links[0]!.cid)
    expect(top.links.map(l => l.name)).toEqual(['a.txt', 'other', 'sub']) // sorted, folders among files
    expect(result.totalBytes).toBe(300_015)
  })

  it('makes unsafe segments safe and names unique per folder, visibly', async () => {
    const store = new MemoryStore()
    const result = await importShare([
      { name: 'x', path: 'f/../x.txt', content: text('1') },
      { name: 'x.txt', path: 'f/x.txt', content: text('2') },
      { name: 'x.txt', path: 'f/x.txt', content: text('3') },
      { name: 'x.txt', path: 'g/x.txt', content: text('4') },
      { name: 'a:b', path: 'f/a:b', content: text('5') },
      { name: 'f', path: 'f', content: text('6') }
    ], store)
    expect(result.files.map(f => f.path).sort()).toEqual([
      'f (1)', 'f/a_b', 'f/file/x.txt', 'f/x (1).txt', 'f/x.txt', 'g/x.txt'
    ])
  })

  it('keeps a flat share as it was (a path-less input sits at the top)', async () => {
    const store = new MemoryStore()
    const result = await importShare([{ name: 'a/b.txt', content: text('1') }, { name: 'a_b.txt', content: text('2') }], store)
    expect(result.files.map(f => f.path)).toEqual(['a_b.txt', 'a_b (1).txt'])
  })
})

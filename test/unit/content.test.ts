import * as dagPb from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { describe, expect, it } from 'vitest'
import { CHUNK_SIZE, MAX_CHILDREN_PER_NODE } from '../../app/core/constants.ts'
import { importShare } from '../../app/core/content/import-share.ts'
import { listFiles, readFile } from '../../app/core/content/read-file.ts'
import { MemoryStore } from '../../app/core/storage/memory-store.ts'
import { chunked, collect, patternBytes, sha256Hex } from '../helpers/bytes.ts'

async function share (name: string, bytes: Uint8Array, store = new MemoryStore()) {
  const result = await importShare([{ name, content: chunked(bytes) }], store)
  return { result, store, file: result.files[0]! }
}

async function node (store: MemoryStore, cid: string) {
  const parsed = CID.parse(cid)
  const bytes = await store.get(parsed)
  return parsed.code === raw.code ? { raw: bytes } : { pb: dagPb.decode(bytes) }
}

describe('content: Kubo-compatible UnixFS import', () => {
  // `printf '' | ipfs add --cid-version=1` and `echo 'hello world' | ipfs add --cid-version=1`
  it('gives the known CID of an empty file', async () => {
    const { file } = await share('empty', new Uint8Array(0))
    expect(file.cid).toBe('bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku')
    expect(file.size).toBe(0)
  })

  it('gives the known CID of "hello world\\n"', async () => {
    const { file, result } = await share('hello.txt', new TextEncoder().encode('hello world\n'))
    expect(file.cid).toBe('bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4')
    expect(result.cid).toMatch(/^bafybei/) // a dag-pb directory wraps it
    expect(result.files).toEqual([{ path: 'hello.txt', size: 12, cid: file.cid }])
  })

  it.each([
    ['1 byte', 1, 'raw'],
    ['exactly one chunk', CHUNK_SIZE, 'raw'],
    ['one chunk and a byte', CHUNK_SIZE + 1, 'file']
  ] as const)('cuts %s into the right blocks', async (_label, size, rootKind) => {
    const bytes = patternBytes(size)
    const { file, store } = await share('f.bin', bytes)
    const root = await node(store, file.cid)
    if (rootKind === 'raw') {
      expect(await sha256Hex(root.raw!)).toBe(await sha256Hex(bytes))
    } else {
      expect(root.pb?.Links.map(l => l.Tsize)).toEqual([CHUNK_SIZE, 1])
      expect(root.pb?.Links.every(l => l.Hash.code === raw.code)).toBe(true)
    }
    expect(await sha256Hex(await collect(readFile(store, file.cid, '')))).toBe(await sha256Hex(bytes))
  })

  it(`builds a balanced tree past ${MAX_CHILDREN_PER_NODE} chunks`, async () => {
    const size = CHUNK_SIZE * (MAX_CHILDREN_PER_NODE + 1) + 7
    const bytes = patternBytes(size, 7)
    const { file, store, result } = await share('big.bin', bytes)
    const root = await node(store, file.cid)
    expect(root.pb?.Links).toHaveLength(2) // 174 chunks + the remaining 2 chunks
    const first = await node(store, root.pb!.Links[0]!.Hash.toString())
    const second = await node(store, root.pb!.Links[1]!.Hash.toString())
    expect(first.pb?.Links).toHaveLength(MAX_CHILDREN_PER_NODE)
    expect(second.pb?.Links).toHaveLength(2)
    expect(Number(UnixFS.unmarshal(root.pb!.Data!).fileSize())).toBe(size)
    expect(result.totalBytes).toBe(size)
    expect(await sha256Hex(await collect(readFile(store, result.cid, 'big.bin')))).toBe(await sha256Hex(bytes))
  })

  it('wraps several files in one directory and keeps names apart', async () => {
    const store = new MemoryStore()
    const result = await importShare([
      { name: 'a.txt', content: chunked(new TextEncoder().encode('a')) },
      { name: 'a.txt', content: chunked(new TextEncoder().encode('b')) },
      { name: '../../etc/passwd', content: chunked(new TextEncoder().encode('c')) }
    ], store)
    const files = await listFiles(store, result.cid)
    expect(files.map(f => f.path).sort()).toEqual(['_.._etc_passwd', 'a (1).txt', 'a.txt'])
    expect(new TextDecoder().decode(await collect(readFile(store, result.cid, 'a (1).txt')))).toBe('b')
  })

  it('reads a Blob slice by slice', async () => {
    const bytes = patternBytes(CHUNK_SIZE * 3 + 5)
    const store = new MemoryStore()
    const fromBlob = await importShare([{ name: 'x', content: new Blob([bytes]) }], store)
    const fromStream = await importShare([{ name: 'x', content: chunked(bytes) }], new MemoryStore())
    expect(fromBlob.cid).toBe(fromStream.cid)
  })

  it('refuses an empty share', async () => {
    await expect(importShare([], new MemoryStore())).rejects.toHaveProperty('name', 'UnsupportedContentError')
  })
})

import { streamPair } from '@libp2p/utils'
import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { CHUNK_SIZE, MAX_PENDING_WANTS_PER_STREAM, MAX_WANTS_PER_REQUEST } from '../../app/core/constants.ts'
import { importShare } from '../../app/core/content/import-share.ts'
import { readFile } from '../../app/core/content/read-file.ts'
import { createBlockHandler } from '../../app/core/exchange/block-server.ts'
import { encodeWant } from '../../app/core/protocol/block-codec.ts'
import { downloadDag, type PeerStream } from '../../app/core/exchange/download-dag.ts'
import { NoDirectConnectionError } from '../../app/core/errors.ts'
import { MemoryStore } from '../../app/core/storage/memory-store.ts'
import { chunked, collect, patternBytes, sha256Hex } from '../helpers/bytes.ts'
import type { BlockStore } from '../../app/core/storage/block-store.ts'
import type { Connection, StreamCloseEvent } from '@libp2p/interface'

const FILE_BYTES = CHUNK_SIZE * 20 + 123

async function seededStore (bytes = patternBytes(FILE_BYTES, 9)) {
  const store = new MemoryStore()
  const share = await importShare([{ name: 'data.bin', content: chunked(bytes) }], store)
  return { store, share, bytes }
}

/** A provider: a block handler at the far end of an in-memory stream pair. */
async function serve (peer: string, store: Pick<BlockStore, 'get'>, served?: string[]): Promise<PeerStream> {
  const [outbound, inbound] = await streamPair()
  const handler = createBlockHandler({ store, onServed: cid => served?.push(cid.toString()) })
  void handler(inbound, { remotePeer: { toString: () => 'client' } } as unknown as Connection)
  return { peer, stream: outbound }
}

function providers (...make: Array<() => Promise<PeerStream>>) {
  let calls = 0
  return {
    get calls () { return calls },
    connect: async function * () {
      calls++
      if (calls > 1) return // nobody new on a second search
      for (const m of make) yield await m()
    }
  }
}

describe('block exchange', () => {
  it('downloads a multi-block file, verified, with pipelined requests', async () => {
    const { store, share, bytes } = await seededStore()
    const client = new MemoryStore()
    const served: string[] = []
    const progress: number[] = []
    const result = await downloadDag({
      root: CID.parse(share.cid),
      store: client,
      windowBlocks: 8,
      connect: providers(async () => serve('a', store, served)).connect,
      onProgress: p => progress.push(p.bytes)
    })
    expect(result.blocksFetched).toBe(21 + 1 + 1) // leaves, file node, directory
    expect(result.bytes).toBe(FILE_BYTES)
    expect(await sha256Hex(await collect(readFile(client, share.cid, 'data.bin')))).toBe(await sha256Hex(bytes))
    expect(progress.at(-1)).toBe(FILE_BYTES)
  })

  it('never fetches blocks that are already stored', async () => {
    const { store, share } = await seededStore()
    const client = new MemoryStore()
    // a first, interrupted download left the root, the file node and some leaves behind
    const blocks = [...(store as unknown as { blocks: Map<string, Uint8Array> }).blocks.entries()]
    for (const [key, bytes] of blocks.slice(0, 12)) await client.put(CID.parse(key), bytes)
    const served: string[] = []
    const result = await downloadDag({ root: CID.parse(share.cid), store: client, windowBlocks: 4, connect: providers(async () => serve('a', store, served)).connect })
    expect(result.blocksLocal).toBe(12)
    expect(result.blocksFetched).toBe(blocks.length - 12)
    for (const [key] of blocks.slice(0, 12)) expect(served).not.toContain(key)
  })

  it('drops a corrupted block, blames its sender, and completes from an honest peer', async () => {
    const { store, share, bytes } = await seededStore()
    const liar: Pick<BlockStore, 'get'> = {
      get: async cid => {
        const real = await store.get(cid)
        if (cid.code !== 0x55) return real
        const bad = real.slice()
        bad[0] = (bad[0] ?? 0) ^ 0xff
        return bad
      }
    }
    const blamed: Array<[string, string]> = []
    const client = new MemoryStore()
    await downloadDag({
      root: CID.parse(share.cid),
      store: client,
      windowBlocks: 4,
      connect: providers(async () => serve('liar', liar), async () => serve('honest', store)).connect,
      onPeerError: (peer, err) => blamed.push([peer, err.name])
    })
    expect(blamed.filter(([peer]) => peer === 'liar').map(([, name]) => name)).toContain('BlockVerificationError')
    expect(blamed.some(([peer]) => peer === 'honest')).toBe(false)
    expect(await sha256Hex(await collect(readFile(client, share.cid, 'data.bin')))).toBe(await sha256Hex(bytes))
  })

  it('fails with NoProvidersError when nobody has the content', async () => {
    const { share } = await seededStore()
    const none = async function * (): AsyncGenerator<PeerStream> {}
    await expect(downloadDag({ root: CID.parse(share.cid), store: new MemoryStore(), windowBlocks: 4, connect: none }))
      .rejects.toHaveProperty('name', 'NoProvidersError')
  })

  it('a connected peer that lacks the content does not hide why the sharer itself was unreachable', async () => {
    const { share } = await seededStore()
    const unreachable = new NoDirectConnectionError(share.cid, { turnConfigured: false })
    const download = downloadDag({
      root: CID.parse(share.cid),
      store: new MemoryStore(),
      windowBlocks: 8,
      connect: async function * () {
        yield await serve('has-nothing', new MemoryStore()) // an earlier download's peer: DONT_HAVE for everything
        throw unreachable // the DHT named the sharer, but no direct path to it exists
      }
    })
    await expect(download).rejects.toBe(unreachable)
  })

  it('fails with ProviderGoneError when the only provider cuts the stream mid-transfer', async () => {
    const { store, share } = await seededStore()
    let served = 0
    const dying: Pick<BlockStore, 'get'> = {
      get: async cid => {
        if (++served > 5) throw new Error('tab closed')
        return store.get(cid)
      }
    }
    const client = new MemoryStore()
    await expect(downloadDag({ root: CID.parse(share.cid), store: client, windowBlocks: 4, connect: providers(async () => serve('a', dying)).connect }))
      .rejects.toHaveProperty('name', 'ProviderGoneError')
    expect(await client.has(CID.parse(share.cid))).toBe(true) // what arrived is kept for a resume
  })

  it('resets the stream of a client that queues more wants than allowed', async () => {
    const { store, share } = await seededStore()
    const [outbound, inbound] = await streamPair()
    const handled = createBlockHandler({ store })(inbound, { remotePeer: { toString: () => 'greedy' } } as unknown as Connection)
    const closed = new Promise<Event>(resolve => outbound.addEventListener('close', resolve, { once: true }))
    const serverClosed = new Promise<StreamCloseEvent>(resolve => inbound.addEventListener('close', resolve, { once: true }))
    outbound.pause() // never read: the server's answers pile up while wants keep coming
    const root = CID.parse(share.cid)
    const frame = encodeWant(Array.from({ length: MAX_WANTS_PER_REQUEST }, () => root))
    for (let sent = 0; sent <= MAX_PENDING_WANTS_PER_STREAM + MAX_WANTS_PER_REQUEST; sent += MAX_WANTS_PER_REQUEST) outbound.send(frame)
    await handled
    expect((await serverClosed).error).toMatchObject({ name: 'ProtocolError', message: expect.stringContaining('wants pending') })
    await closed
    expect(outbound.status).toBe('reset')
  })
})

describe('block exchange with repeated blocks', () => {
  it('requests a leaf that repeats across a file once, and counts every occurrence', async () => {
    const zeros = new Uint8Array(CHUNK_SIZE * 12) // twelve identical leaves: one CID
    const { store, share } = await seededStore(zeros)
    const served: string[] = []
    const progress: number[] = []
    const client = new MemoryStore()
    const result = await downloadDag({
      root: CID.parse(share.cid),
      store: client,
      windowBlocks: 8,
      connect: providers(async () => serve('a', store, served)).connect,
      onProgress: p => progress.push(p.bytes)
    })
    expect(new Set(served).size).toBe(served.length) // no block was sent twice
    expect(result.blocksFetched).toBe(3) // directory, file node, the one zero leaf
    expect(result.bytes).toBe(zeros.byteLength)
    expect(progress.at(-1)).toBe(zeros.byteLength)
    expect(await sha256Hex(await collect(readFile(client, share.cid, 'data.bin')))).toBe(await sha256Hex(zeros))
  })
})

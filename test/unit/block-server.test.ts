import { yamux } from '@chainsafe/libp2p-yamux'
import { multiaddrConnectionPair, streamPair } from '@libp2p/utils'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  CHUNK_SIZE, MAX_PENDING_WANTS_PER_STREAM, MAX_SERVED_STREAMS_PER_PEER, MAX_SERVED_STREAMS_TOTAL, MAX_WANTS_PER_REQUEST, SERVE_READ_AHEAD_BLOCKS,
  SERVE_CLOSE_GRACE_MS, SERVE_STREAM_IDLE_MS, SERVE_WRITE_STALL_MS
} from '../../app/core/constants.ts'
import { decodeResponses, encodeBlock, encodeCancel, encodeVarint, encodeWant } from '../../app/core/protocol/block-codec.ts'
import { createBlockHandler, createBlockServer, type BlockStreamHandler } from '../../app/core/serve/block-server.ts'
import { ServeLimits } from '../../app/core/serve/serve-limits.ts'
import { MemoryStore } from '../../app/core/storage/memory-store.ts'
import { patternBytes } from '../helpers/bytes.ts'
import type { BlockStore } from '../../app/core/storage/block-store.ts'
import type { Connection, Stream, StreamCloseEvent } from '@libp2p/interface'

const KiB = 1024

function connection (peer: string): Connection {
  return { remotePeer: { toString: () => peer } } as unknown as Connection
}

async function closeEvent (stream: Stream): Promise<StreamCloseEvent> {
  return await new Promise(resolve => { stream.addEventListener('close', resolve, { once: true }) })
}

/** `count` raw blocks of `size` bytes in a MemoryStore, and a name for each CID ('b0', 'b1'...). */
async function blocks (count: number, size = 1000): Promise<{ store: MemoryStore, cids: CID[], name(cid: CID): string }> {
  const store = new MemoryStore()
  const cids: CID[] = []
  for (let i = 0; i < count; i++) {
    const bytes = patternBytes(size, i + 1)
    const cid = CID.createV1(raw.code, await sha256.digest(bytes))
    await store.put(cid, bytes)
    cids.push(cid)
  }
  const names = new Map(cids.map((cid, i) => [cid.toString(), `b${i}`]))
  return { store, cids, name: cid => names.get(cid.toString()) ?? cid.toString() }
}

interface Served {
  client: Stream
  server: Stream
  /** The handler's promise: settles when the server is done with the stream. */
  handled: Promise<void>
  serverClosed: Promise<StreamCloseEvent>
}

/** A client stream to `handler`, as `peer`, over an in-memory stream pair. */
/** A store whose `get` waits until the test opens the gate; records what was asked. */
function gated (store: Pick<BlockStore, 'get'>, name: (cid: CID) => string) {
  let open!: () => void
  const gate = new Promise<void>(resolve => { open = resolve })
  const asked: string[] = []
  let firstAsk!: () => void
  const asking = new Promise<void>(resolve => { firstAsk = resolve })
  const gatedStore: Pick<BlockStore, 'get'> = {
    get: async (cid, options) => {
      asked.push(name(cid))
      firstAsk()
      await gate
      return store.get(cid, options)
    }
  }
  return { store: gatedStore, asked, asking, open }
}

async function open (handler: BlockStreamHandler, peer: string): Promise<Served> {
  const [client, server] = await streamPair()
  const serverClosed = closeEvent(server)
  const handled = handler(server, connection(peer))
  return { client, server, handled, serverClosed }
}

/** Everything the client reads, in order, as 'block:b0' / 'dont-have:b1'; `end` settles with the error, if any. */
function readAnswers (client: Stream, name: (cid: CID) => string): { answers: string[], end: Promise<Error | undefined>, next(): Promise<string> } {
  const answers: string[] = []
  let notify: (() => void) | undefined
  const end = (async () => {
    try {
      for await (const message of decodeResponses(client)) {
        answers.push(`${message.type}:${name(message.cid)}`)
        notify?.()
      }
      return undefined
    } catch (err) {
      return err as Error
    } finally {
      notify?.()
    }
  })()
  let read = 0
  const next = async (): Promise<string> => {
    while (answers.length <= read) await new Promise<void>(resolve => { notify = resolve })
    return answers[read++]!
  }
  return { answers, end, next }
}

afterEach(() => { vi.useRealTimers() })

describe('block server: answers', () => {
  it('answers every want in order with the block or DONT_HAVE, and closes cleanly after the client', async () => {
    const { store, cids, name } = await blocks(3)
    const missing = CID.createV1(raw.code, await sha256.digest(Uint8Array.of(0xde, 0xad)))
    const served: string[] = []
    const limits = new ServeLimits()
    const handler = createBlockHandler({ store, limits, onServed: (cid, peer) => served.push(`${name(cid)}@${peer}`) })
    const { client, handled, serverClosed } = await open(handler, 'alice')
    const reading = readAnswers(client, cid => cid.equals(missing) ? 'missing' : name(cid))
    client.send(encodeWant([cids[0]!, missing, cids[2]!, cids[0]!]))
    await client.close() // the client is done asking: what it asked for still comes
    expect(await reading.end).toBeUndefined()
    expect(reading.answers).toEqual(['block:b0', 'dont-have:missing', 'block:b2', 'block:b0'])
    expect(served).toEqual(['b0@alice', 'b2@alice', 'b0@alice'])
    await handled
    expect((await serverClosed).error).toBeUndefined()
    expect(limits.stats()).toEqual({ streams: 0, wants: 0, peers: 0 })
  })

  it('resets the stream of a client that queues more wants than allowed', async () => {
    const { store, cids, name } = await blocks(1)
    const limits = new ServeLimits()
    const slow = gated(store, name) // the first answer never leaves storage: every later want stays queued
    const { client, handled, serverClosed } = await open(createBlockHandler({ store: slow.store, limits }), 'greedy')
    const closed = closeEvent(client)
    client.pause()
    const frame = encodeWant(Array.from({ length: MAX_WANTS_PER_REQUEST }, () => cids[0]!))
    for (let sent = 0; sent <= MAX_PENDING_WANTS_PER_STREAM + MAX_WANTS_PER_REQUEST; sent += MAX_WANTS_PER_REQUEST) client.send(frame)
    await handled
    expect((await serverClosed).error).toMatchObject({ name: 'ProtocolError', message: expect.stringContaining('wants pending') })
    await closed
    expect(client.status).toBe('reset')
    expect(limits.stats()).toEqual({ streams: 0, wants: 0, peers: 0 })
  })

  it.each([
    ['a cancel of more than MAX_WANTS_PER_REQUEST CIDs', () => Uint8Array.of(2, 0x04, MAX_WANTS_PER_REQUEST + 1), `cancel list of ${MAX_WANTS_PER_REQUEST + 1} CIDs`],
    ['an empty want list', () => Uint8Array.of(2, 0x01, 0), 'want list of 0 CIDs'],
    ['a BLOCK', () => encodeBlock(CID.parse('bafkqaaa'), new Uint8Array(0)).subarray(), 'a client sent block'],
    ['a frame longer than any request', () => encodeVarint(64 * KiB), 'exceeds']
  ])('resets a stream that sends %s, with ProtocolError', async (_label, frame, message) => {
    const { store } = await blocks(1)
    const { client, handled, serverClosed } = await open(createBlockHandler({ store }), 'rude')
    client.send(frame())
    await handled
    expect((await serverClosed).error).toMatchObject({ name: 'ProtocolError', message: expect.stringContaining(message) })
  })
})

describe('block server: CANCEL', () => {
  /** Wait until the server has read what the client just sent: its 'message' event, then every microtask it triggers. */
  async function delivered (server: Stream): Promise<void> {
    await new Promise(resolve => { server.addEventListener('message', resolve, { once: true }) })
    await new Promise(resolve => { setImmediate(resolve) })
  }

  it('drops a queued want: the client gets answers 1, 2, 4 and never 3', async () => {
    const { store, cids, name } = await blocks(4)
    const slow = gated(store, name)
    const limits = new ServeLimits()
    const { client, server, handled } = await open(createBlockHandler({ store: slow.store, limits }), 'fickle')
    const reading = readAnswers(client, name)
    client.send(encodeWant(cids))
    await slow.asking // b0 is being answered; b1..b3 wait in the queue
    const arrived = delivered(server)
    client.send(encodeCancel([cids[2]!]))
    await arrived
    expect(limits.peerStats('fickle').wants).toBe(3) // b0 (being answered), b1, b3
    slow.open()
    expect([await reading.next(), await reading.next(), await reading.next()]).toEqual(['block:b0', 'block:b1', 'block:b3'])
    expect(limits.stats()).toEqual({ streams: 1, wants: 0, peers: 1 }) // an answered want no longer counts
    await client.close()
    expect(await reading.end).toBeUndefined()
    expect(reading.answers).toEqual(['block:b0', 'block:b1', 'block:b3'])
    // b2 may have been read ahead before the cancel came (see the read-ahead test below); it is never sent
    await handled
    expect(limits.stats().wants).toBe(0)
  })

  it('reads at most SERVE_READ_AHEAD_BLOCKS queued wants ahead of the one it answers, and sends them in order', async () => {
    const { store, cids, name } = await blocks(SERVE_READ_AHEAD_BLOCKS + 4)
    const slow = gated(store, name)
    const { client, server, handled } = await open(createBlockHandler({ store: slow.store }), 'eager')
    const reading = readAnswers(client, name)
    const arrived = delivered(server)
    client.send(encodeWant(cids))
    await arrived
    expect(slow.asked).toEqual(cids.slice(0, 1 + SERVE_READ_AHEAD_BLOCKS).map(name))
    slow.open()
    await client.close()
    expect(await reading.end).toBeUndefined()
    expect(reading.answers).toEqual(cids.map(cid => `block:${name(cid)}`))
    await handled
  })

  it('ignores a cancel for the want being answered and removes only the first queued occurrence', async () => {
    const { store, cids, name } = await blocks(3)
    const slow = gated(store, name)
    const { client, server, handled } = await open(createBlockHandler({ store: slow.store }), 'fickle')
    const reading = readAnswers(client, name)
    const [x, a, b] = [cids[0]!, cids[1]!, cids[2]!]
    client.send(encodeWant([x, a, b, a]))
    await slow.asking // x is being answered: out of a cancel's reach
    const arrived = delivered(server)
    client.send(encodeCancel([x, a])) // x: not queued, ignored; a: the first queued a goes, the one after b stays
    await arrived
    slow.open()
    await client.close()
    expect(await reading.end).toBeUndefined()
    expect(reading.answers).toEqual(['block:b0', 'block:b2', 'block:b1'])
    await handled
  })
})

describe('block server: stream bounds', () => {
  it(`resets the ${MAX_SERVED_STREAMS_PER_PEER + 1}th stream of one peer at once, across connections, and frees the slot when a stream ends`, async () => {
    const { store } = await blocks(1)
    const server = createBlockServer({ store })
    const held = await Promise.all(Array.from({ length: MAX_SERVED_STREAMS_PER_PEER }, async () => open(server.handler, 'hog'))) // each pair is its own connection
    const extra = await open(server.handler, 'hog')
    expect((await extra.serverClosed).error).toMatchObject({ name: 'ServeLimitError', message: expect.stringContaining(`holds ${MAX_SERVED_STREAMS_PER_PEER} block streams`) })
    await extra.handled
    await closeEvent(extra.client)
    expect(extra.client.status).toBe('reset')
    const other = await open(server.handler, 'polite') // another peer is not affected
    expect(server.stats()).toMatchObject({ streams: MAX_SERVED_STREAMS_PER_PEER + 1, peers: 2 })

    await held[0]!.client.close() // one of hog's streams ends; its slot is free again
    await held[0]!.handled
    expect(server.stats().streams).toBe(MAX_SERVED_STREAMS_PER_PEER)
    const again = await open(server.handler, 'hog')
    expect(server.stats().streams).toBe(MAX_SERVED_STREAMS_PER_PEER + 1)
    for (const s of [...held.slice(1), other, again]) await s.client.close()
    await Promise.all([...held, other, again].map(async s => s.handled))
    expect(server.stats()).toEqual({ streams: 0, wants: 0, peers: 0, uploadLimit: undefined })
  })

  it(`resets stream ${MAX_SERVED_STREAMS_TOTAL + 1} from all peers together at once, and frees the slot when a stream ends`, async () => {
    const { store } = await blocks(1)
    const server = createBlockServer({ store })
    const held: Served[] = []
    for (let i = 0; i < MAX_SERVED_STREAMS_TOTAL; i++) held.push(await open(server.handler, `peer-${i % 16}`))
    expect(server.stats()).toMatchObject({ streams: MAX_SERVED_STREAMS_TOTAL, peers: 16 })
    const late = await open(server.handler, 'late')
    expect((await late.serverClosed).error).toMatchObject({ name: 'ServeLimitError', message: expect.stringContaining(`serving ${MAX_SERVED_STREAMS_TOTAL}`) })
    held[5]!.client.abort(new Error('tab closed')) // ends however it ends: a reset frees the slot too
    await held[5]!.handled
    expect(server.stats().streams).toBe(MAX_SERVED_STREAMS_TOTAL - 1)
    await open(server.handler, 'late')
    expect(server.stats()).toMatchObject({ streams: MAX_SERVED_STREAMS_TOTAL, peers: 17 })
  })
})

describe('block server: timeouts', () => {
  const fakeClock = (): void => { vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }) }

  it('closes a stream with nothing queued and no message for SERVE_STREAM_IDLE_MS; any message keeps it open', async () => {
    fakeClock()
    const { store, cids, name } = await blocks(1)
    const limits = new ServeLimits()
    const { client, handled, serverClosed } = await open(createBlockHandler({ store, limits }), 'idler')
    const reading = readAnswers(client, name)
    client.send(encodeWant([cids[0]!]))
    await vi.advanceTimersByTimeAsync(0)
    expect(await reading.next()).toBe('block:b0')
    for (let i = 0; i < 6; i++) { // three idle periods, a message every half
      await vi.advanceTimersByTimeAsync(SERVE_STREAM_IDLE_MS / 2)
      client.send(i % 2 === 0 ? encodeCancel([cids[0]!]) : encodeWant([cids[0]!])) // a cancel of nothing queued is a message too
    }
    await vi.advanceTimersByTimeAsync(0)
    const quiet = Date.now()
    await vi.advanceTimersByTimeAsync(SERVE_STREAM_IDLE_MS - 1)
    expect(limits.stats().streams).toBe(1)
    expect(await Promise.race([reading.end.then(() => 'ended'), Promise.resolve('open')])).toBe('open')
    await vi.advanceTimersByTimeAsync(1)
    expect(await reading.end).toBeUndefined() // the server closed its end: a clean end, nothing was owed
    expect(Date.now() - quiet).toBe(SERVE_STREAM_IDLE_MS)
    expect(reading.answers).toEqual(['block:b0', 'block:b0', 'block:b0', 'block:b0'])
    await client.close() // a polite client closes its end in turn
    await vi.advanceTimersByTimeAsync(0)
    await handled
    expect((await serverClosed).error).toBeUndefined()
    expect(limits.stats().streams).toBe(0)
  })

  it('resets an idle stream whose client does not close its end within SERVE_CLOSE_GRACE_MS', async () => {
    fakeClock()
    const { store } = await blocks(1)
    const { client, server, handled, serverClosed } = await open(createBlockHandler({ store }), 'mute')
    await vi.advanceTimersByTimeAsync(SERVE_STREAM_IDLE_MS)
    expect(server.writeStatus).toBe('closed')
    await vi.advanceTimersByTimeAsync(SERVE_CLOSE_GRACE_MS - 1)
    expect(server.status).toBe('open') // half-closed, waiting for the client
    await vi.advanceTimersByTimeAsync(1)
    expect((await serverClosed).error).toMatchObject({ name: 'TimeoutError', message: expect.stringContaining('closing an idle block stream') })
    await handled
    await vi.advanceTimersByTimeAsync(0)
    expect(client.status).toBe('reset')
  })

  it('holds at most MAX_SERVED_STREAMS_TOTAL of 200 silent streams from many peers, and releases all of them after the idle timeout', async () => {
    fakeClock()
    const { store } = await blocks(1)
    const server = createBlockServer({ store })
    const streams: Served[] = []
    for (let i = 0; i < 200; i++) streams.push(await open(server.handler, `silent-${i % 50}`))
    const outcome = streams.map(s => {
      const o: { error?: string, settled: boolean } = { settled: false }
      void s.serverClosed.then(evt => { o.error = evt.error?.name; o.settled = true })
      return o
    })
    await vi.advanceTimersByTimeAsync(0)
    expect(server.stats().streams).toBe(MAX_SERVED_STREAMS_TOTAL)
    expect(outcome.filter(o => o.error === 'ServeLimitError')).toHaveLength(200 - MAX_SERVED_STREAMS_TOTAL) // refused at once, not queued
    await vi.advanceTimersByTimeAsync(SERVE_STREAM_IDLE_MS + SERVE_CLOSE_GRACE_MS)
    await Promise.all(streams.map(async s => s.handled))
    expect(server.stats()).toEqual({ streams: 0, wants: 0, peers: 0, uploadLimit: undefined })
    expect(outcome.every(o => o.settled)).toBe(true)
    expect(outcome.filter(o => o.error === 'TimeoutError')).toHaveLength(MAX_SERVED_STREAMS_TOTAL)
    expect(streams.every(s => s.client.status === 'reset')).toBe(true)
  })

  /**
   * A yamux pair (called on the fake clock): unlike the mock muxer, a reader
   * that pauses stops granting window, so the writer really stalls.
   */
  async function yamuxStreams (first: Uint8Array): Promise<{ client: Stream, server: Stream }> {
    const [a, b] = multiaddrConnectionPair()
    const clientMuxer = yamux()().createStreamMuxer(a)
    const serverMuxer = yamux()().createStreamMuxer(b)
    const arriving = new Promise<Stream>(resolve => { serverMuxer.addEventListener('stream', evt => { resolve(evt.detail) }, { once: true }) })
    const creating = clientMuxer.createStream()
    await vi.advanceTimersByTimeAsync(0)
    const client = await creating
    client.send(first) // yamux opens the stream with its first data
    await vi.advanceTimersByTimeAsync(0)
    return { client, server: await arriving }
  }

  it('aborts a stream whose client stops reading, after SERVE_WRITE_STALL_MS without a drain', async () => {
    fakeClock()
    const { store, cids } = await blocks(2, CHUNK_SIZE) // one block fills yamux's 256 KiB initial window
    const { client, server } = await yamuxStreams(encodeWant(cids))
    client.pause() // it asked, and never reads
    const serverClosed = closeEvent(server)
    const limits = new ServeLimits()
    const handled = createBlockHandler({ store, limits })(server, connection('stuck'))
    await vi.advanceTimersByTimeAsync(0)
    expect(limits.stats().wants).toBe(2)
    await vi.advanceTimersByTimeAsync(SERVE_WRITE_STALL_MS - 1)
    expect(server.status).toBe('open')
    // backpressure held: the second block waits its turn instead of piling up in the stream's buffer
    expect(server.writeBufferLength).toBeLessThan(CHUNK_SIZE)
    expect(limits.stats().wants).toBe(2)
    await vi.advanceTimersByTimeAsync(1)
    expect((await serverClosed).error).toMatchObject({ name: 'TimeoutError', message: expect.stringContaining('stopped reading') })
    await handled
    expect(limits.stats()).toEqual({ streams: 0, wants: 0, peers: 0 })
  })
})

describe('block server: upload limit', () => {
  it('paces blocks of all streams by the shared limit, changeable at run time', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const { store, cids, name } = await blocks(6, CHUNK_SIZE)
    const server = createBlockServer({ store, uploadLimit: 512 * KiB })
    expect(server.stats().uploadLimit).toBe(512 * KiB)
    const [one, two] = [await open(server.handler, 'one'), await open(server.handler, 'two')]
    const arrivals: Array<[string, number]> = []
    const start = Date.now()
    const record = (s: Served, peer: string): void => {
      const reading = readAnswers(s.client, name)
      void (async () => { for (let i = 0; i < 3; i++) arrivals.push([`${peer}:${await reading.next()}`, Date.now() - start]) })()
    }
    record(one, 'one')
    record(two, 'two')
    one.client.send(encodeWant(cids.slice(0, 3)))
    two.client.send(encodeWant(cids.slice(3, 5)))
    await vi.advanceTimersByTimeAsync(1499)
    // the burst, then one block per 500 ms (a frame is a block plus ~40 bytes, hence a ms more each) for both streams together
    expect(arrivals.map(([, at]) => Math.floor(at / 500))).toEqual([0, 1, 2])
    server.setUploadLimit(undefined) // lifted: the rest goes now
    await vi.advanceTimersByTimeAsync(0)
    expect(arrivals).toHaveLength(5)
    expect(arrivals.at(-1)![1]).toBe(1499)
    expect(arrivals.map(([what]) => what).sort()).toEqual(['one:block:b0', 'one:block:b1', 'one:block:b2', 'two:block:b3', 'two:block:b4'])
    expect(() => { server.setUploadLimit(0) }).toThrow(RangeError)
  })
})

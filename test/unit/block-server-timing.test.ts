import { yamux } from '@chainsafe/libp2p-yamux'
import { multiaddrConnectionPair } from '@libp2p/utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  CHUNK_SIZE, MAX_SERVED_STREAMS_TOTAL, SERVE_CLOSE_GRACE_MS, SERVE_STREAM_IDLE_MS, SERVE_WRITE_STALL_MS
} from '../../app/core/constants.ts'
import { encodeCancel, encodeWant } from '../../app/core/protocol/block-codec.ts'
import { createBlockHandler, createBlockServer } from '../../app/core/serve/block-server.ts'
import { ServeLimits } from '../../app/core/serve/serve-limits.ts'
import { KiB, connection, closeEvent, blocks, type Served, open, readAnswers } from '../helpers/block-server-harness.ts'
import type { Stream } from '@libp2p/interface'

afterEach(() => { vi.useRealTimers() })

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

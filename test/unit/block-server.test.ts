import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  MAX_PENDING_WANTS_PER_STREAM, MAX_SERVED_STREAMS_PER_PEER, MAX_SERVED_STREAMS_TOTAL, MAX_WANTS_PER_REQUEST, SERVE_READ_AHEAD_BLOCKS
} from '../../app/core/constants.ts'
import { encodeBlock, encodeCancel, encodeVarint, encodeWant } from '../../app/core/protocol/block-codec.ts'
import { createBlockHandler, createBlockServer } from '../../app/core/serve/block-server.ts'
import { ServeLimits } from '../../app/core/serve/serve-limits.ts'
import { KiB, connection, closeEvent, blocks, type Served, gated, open, readAnswers } from '../helpers/block-server-harness.ts'
import type { Stream } from '@libp2p/interface'

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

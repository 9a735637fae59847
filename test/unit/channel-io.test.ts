import { Uint8ArrayList } from 'uint8arraylist'
import { describe, expect, it } from 'vitest'
import { BLOCK_CHANNEL_HIGH_WATER_BYTES } from '../../app/core/constants.ts'
import { openBlockChannel, acceptBlockChannel } from '../../app/core/network/block-channel.ts'
import { ChannelReader } from '../../app/core/network/channel-reader.ts'
import { ChannelWriter, messages } from '../../app/core/network/channel-writer.ts'
import { fakeHostPair, type FakeDataChannel } from '../helpers/fake-data-channels.ts'

const sizes = (parts: Iterable<Uint8Array>): number[] => [...parts].map(p => p.byteLength)

/** Our end (the client's) and theirs (the server's) of one open channel; `sent()`: sizes of the messages theirs sent. */
async function pair (maxMessageSize?: number): Promise<{ ours: FakeDataChannel, theirs: FakeDataChannel, sent(): number[] }> {
  const { client, server } = fakeHostPair(maxMessageSize)
  const ours = openBlockChannel(client) as FakeDataChannel
  const theirs = acceptBlockChannel(server, ours.id) as FakeDataChannel
  await Promise.all([ours, theirs].map(async c => new Promise(resolve => { c.addEventListener('open', resolve, { once: true }) })))
  return { ours, theirs, sent: () => server.sent.get(ours.id) ?? [] }
}

async function readAll (reader: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = []
  for await (const chunk of reader) out.push(chunk)
  return out
}

describe('frames as channel messages', () => {
  it('a block frame leaves as its header joined into one message and the block as another, not copied', () => {
    const block = new Uint8Array(262_144)
    const frame = new Uint8ArrayList(Uint8Array.of(1, 2), Uint8Array.of(3), new Uint8Array(36), block)
    const out = [...messages(frame, 262_144)]
    expect(sizes(out)).toEqual([39, 262_144])
    expect(out[1]).toBe(block)
  })

  it('parts over the limit are cut; small frames stay one message; empty parts vanish', () => {
    expect(sizes(messages(new Uint8Array(700), 256))).toEqual([256, 256, 188])
    expect(sizes(messages(new Uint8ArrayList(new Uint8Array(10), new Uint8Array(0), new Uint8Array(20)), 256))).toEqual([30])
    expect(sizes(messages(new Uint8ArrayList(new Uint8Array(200), new Uint8Array(100), new Uint8Array(50)), 256))).toEqual([200, 150])
  })
})

describe('channel writer', () => {
  it('sends a frame\'s bytes in order; asks to wait past the high-water mark and resumes at the low-water mark', async () => {
    const { ours, theirs, sent } = await pair()
    const reader = new ChannelReader(ours)
    const writer = new ChannelWriter(theirs, 262_144)
    const frame = new Uint8Array(1_048_576).map((_, i) => i % 251)
    let room = true
    let frames = 0
    while (room) { room = writer.send(frame); frames++ }
    expect(theirs.bufferedAmount).toBeGreaterThan(BLOCK_CHANNEL_HIGH_WATER_BYTES)
    await writer.drained(AbortSignal.timeout(5_000))
    expect(theirs.bufferedAmount).toBeLessThanOrEqual(1_048_576)
    writer.close()
    const got = new Uint8ArrayList(...await readAll(reader))
    expect(got.byteLength).toBe(frames * frame.byteLength)
    expect(got.subarray(0, frame.byteLength)).toEqual(frame)
    expect(sent().length).toBeGreaterThan(frames)
    expect(sent().every(size => size <= 262_144)).toBe(true)
  })

  it('a wait for room ends when the signal aborts; a closed channel throws on send', async () => {
    const { ours, theirs } = await pair()
    const writer = new ChannelWriter(theirs, 262_144)
    while (writer.send(new Uint8Array(262_144))) { /* fill */ }
    const aborted = new AbortController()
    const waiting = writer.drained(aborted.signal)
    aborted.abort(new Error('stop'))
    await expect(waiting).rejects.toThrow('stop')
    const gone = new Promise(resolve => { theirs.addEventListener('close', resolve, { once: true }) })
    ours.close()
    await gone
    expect(() => writer.send(Uint8Array.of(1))).toThrow(expect.objectContaining({ name: 'StreamTruncatedError' }))
  })
})

describe('channel reader', () => {
  it('keeps what arrives before the first read, and ends when the channel closes', async () => {
    const { ours, theirs } = await pair()
    const reader = new ChannelReader(ours)
    theirs.send(Uint8Array.of(1, 2))
    theirs.send(Uint8Array.of(3))
    theirs.close()
    await new Promise(resolve => { ours.addEventListener('close', resolve, { once: true }) })
    expect((await readAll(reader)).map(c => [...c])).toEqual([[1, 2], [3]])
  })

  it('a text message, or more unread bytes than the bound, is a ProtocolError', async () => {
    const text = await pair()
    const textReader = new ChannelReader(text.ours)
    text.theirs.send('hello')
    await expect(readAll(textReader)).rejects.toMatchObject({ name: 'ProtocolError' })

    const flood = await pair()
    const floodReader = new ChannelReader(flood.ours, 1000)
    for (let i = 0; i < 3; i++) flood.theirs.send(new Uint8Array(400))
    let arrived = 0
    await new Promise<void>(resolve => { flood.ours.addEventListener('message', () => { if (++arrived === 3) resolve() }) })
    await expect(readAll(floodReader)).rejects.toMatchObject({ name: 'ProtocolError', message: expect.stringContaining('nobody read') })
  })
})

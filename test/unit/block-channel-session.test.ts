import { streamPair } from '@libp2p/utils'
import { describe, expect, it } from 'vitest'
import { offerBlockChannel } from '../../app/core/network/channel-open.ts'
import { BLOCK_PROTOCOL, LEGACY_BLOCK_PROTOCOLS } from '../../app/core/network/protocols.ts'
import { decodeRequestsOrOffer, encodeBlock, encodeChannel, encodeWant } from '../../app/core/protocol/block-codec.ts'
import { createBlockHandler } from '../../app/core/serve/block-server.ts'
import { BlockSession } from '../../app/core/transfer/block-session.ts'
import { blocks, closeEvent } from '../helpers/block-server-harness.ts'
import { connectionOver, fakeHostPair, type FakeChannelHost } from '../helpers/fake-data-channels.ts'
import type { Stream } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

/** Blocks bigger than one channel message (300 KB against 256 KiB): every answer is cut in two. */
const BLOCK_SIZE = 300_000

interface Session {
  session: BlockSession
  client: Stream
  server: Stream
  /** The client's messages as 'block b0' / 'dont-have b1', with the bytes checked against the store. */
  events: string[]
  closed: Promise<{ err?: Error, outstanding: CID[] }>
  hosts: { client: FakeChannelHost, server: FakeChannelHost }
  cids: CID[]
}

/**
 * A BlockSession offering a channel (its stream speaks `clientProtocol` over a
 * fake peer connection) and, at the other end, either the real block handler
 * (its peer connection given or not, its stream speaking `serverProtocol`) or
 * nothing: the test drives the server's stream itself.
 */
async function connect (options: { serverHasHost?: boolean, serverProtocol?: string, realServer?: boolean } = {}): Promise<Session & { handled?: Promise<void> }> {
  const hosts = fakeHostPair()
  const { store, cids, name } = await blocks(4, BLOCK_SIZE)
  const [client, server] = await streamPair()
  client.protocol = BLOCK_PROTOCOL
  server.protocol = options.serverProtocol ?? BLOCK_PROTOCOL
  const handled = options.realServer === false
    ? undefined
    : createBlockHandler({ store })(server, connectionOver(options.serverHasHost === false ? undefined : hosts.server, 'client'))
  const events: string[] = []
  let settle!: (result: { err?: Error, outstanding: CID[] }) => void
  const closed = new Promise<{ err?: Error, outstanding: CID[] }>(resolve => { settle = resolve })
  const session = new BlockSession('sharer', client, {
    onBlock: (cid, bytes) => {
      void store.get(cid).then(stored => { events.push(`block ${name(cid)}${equal(stored, bytes) ? '' : ' (wrong bytes)'}`) })
    },
    onDontHave: cid => { events.push(`dont-have ${name(cid)}`) },
    onClose: (err, outstanding) => { settle({ err, outstanding }) }
  }, 10_000, offerBlockChannel(connectionOver(hosts.client), client))
  return { session, client, server, events, closed, hosts, cids, handled }
}

function equal (a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((byte, i) => byte === b[i])
}

describe('block channel: answers on a data channel of their own', () => {
  it('a sharer on WebRTC accepts the offer: every answer arrives on the channel, intact, and both ends close cleanly', async () => {
    const { session, events, closed, hosts, cids, handled } = await connect()
    session.want(cids)
    await expect.poll(() => events.length).toBe(4)
    expect(events).toEqual(['block b0', 'block b1', 'block b2', 'block b3'])
    expect(session.via).toBe('block-channel')
    // each answer left the sharer as a header message and the block cut to the 256 KiB limit
    const channelId = [...hosts.client.channels.keys()][0] as number
    expect(hosts.server.sent.get(channelId)).toHaveLength(4 * 3)
    session.close()
    await handled
    expect(await closed).toEqual({ err: undefined, outstanding: [] })
    await expect.poll(() => hosts.client.channels.size + hosts.server.channels.size).toBe(0)
  })

  it('a sharer without a peer connection under the stream replies NO_CHANNEL and answers on the stream; the client drops its channel', async () => {
    const { session, events, hosts, cids } = await connect({ serverHasHost: false })
    session.want(cids.slice(0, 2))
    await expect.poll(() => events.length).toBe(2)
    expect(events).toEqual(['block b0', 'block b1'])
    expect(session.via).toBe('stream')
    await expect.poll(() => hosts.client.channels.size).toBe(0)
    session.close()
  })

  it('the sharer closing the channel with answers owed ends the session as cut, and hands back what is owed', async () => {
    const { session, events, closed, hosts, cids } = await connect()
    session.want(cids.slice(0, 1))
    await expect.poll(() => events.length).toBe(1)
    session.want(cids.slice(1))
    const serverEnd = [...hosts.server.channels.values()][0]
    serverEnd?.close()
    const { err, outstanding } = await closed
    // the channel's close, or the stream reset the sharer sends when its next answer finds the channel gone
    expect(['StreamTruncatedError', 'StreamResetError']).toContain(err?.name)
    expect(outstanding.length + events.length).toBe(4)
    expect(outstanding.length).toBeGreaterThan(0)
  })

  it('an offer on an earlier protocol version, or after the first frame, is a ProtocolError: the sharer resets the stream', async () => {
    const legacy = await connect({ serverProtocol: LEGACY_BLOCK_PROTOCOLS[0] })
    legacy.session.want(legacy.cids.slice(0, 1))
    expect((await legacy.closed).err).toBeDefined()
    const late = await connect()
    const reset = closeEvent(late.server)
    late.client.send(encodeWant(late.cids.slice(0, 1)))
    late.client.send(encodeChannel(770))
    expect((await reset).error?.name).toBe('ProtocolError')
  })

  it('a sharer that answers the offer with anything but its reply, or with another id, is a ProtocolError', async () => {
    for (const reply of [(cid: CID, bytes: Uint8Array) => encodeBlock(cid, bytes), () => encodeChannel(1001)]) {
      const { session, server, closed, cids } = await connect({ realServer: false })
      const cid = cids[0] as CID
      const frames = decodeRequestsOrOffer(server)[Symbol.asyncIterator]()
      expect((await frames.next()).value).toMatchObject({ type: 'channel' })
      session.want([cid])
      server.send(reply(cid, new Uint8Array(10)))
      expect((await closed).err?.name).toBe('ProtocolError')
    }
  })
})

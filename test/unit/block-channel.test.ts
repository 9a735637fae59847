import { describe, expect, it } from 'vitest'
import { acceptBlockChannel, channelHostOf, maxMessageBytes, openBlockChannel, ownIdParity } from '../../app/core/network/block-channel.ts'
import { offerBlockChannel } from '../../app/core/network/channel-open.ts'
import { BLOCK_PROTOCOL, CLIENT_BLOCK_PROTOCOLS } from '../../app/core/network/protocols.ts'
import { BLOCK_CHANNEL_MAX_ID, BLOCK_CHANNEL_MIN_ID } from '../../app/core/constants.ts'
import { connectionOver, fakeHostPair } from '../helpers/fake-data-channels.ts'

const sdp = (setup: string): { sdp: string } => ({ sdp: `v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=setup:${setup}\r\n` })
const closed = async (channel: { addEventListener: EventTarget['addEventListener'] }): Promise<void> => new Promise(resolve => { channel.addEventListener('close', () => { resolve() }, { once: true }) })

describe('block channel ids', () => {
  it('the DTLS side is read from the SDP: active opens even ids, passive odd; an offer (actpass) learns it from the answer', () => {
    expect(ownIdParity({ localDescription: sdp('active'), remoteDescription: sdp('actpass') })).toBe(0)
    expect(ownIdParity({ localDescription: sdp('passive'), remoteDescription: sdp('actpass') })).toBe(1)
    expect(ownIdParity({ localDescription: sdp('actpass'), remoteDescription: sdp('active') })).toBe(1)
    expect(ownIdParity({ localDescription: sdp('actpass'), remoteDescription: sdp('passive') })).toBe(0)
    expect(ownIdParity({ localDescription: sdp('actpass'), remoteDescription: null })).toBeUndefined()
    expect(ownIdParity({ localDescription: null, remoteDescription: null })).toBeUndefined()
  })

  it('a client picks ids of its own parity in the range, never one it holds; the server takes only ids of the other parity', async () => {
    const { client, server } = fakeHostPair()
    const first = openBlockChannel(client)
    const second = openBlockChannel(client)
    expect(first?.id).toBe(BLOCK_CHANNEL_MIN_ID)
    expect(second?.id).toBe(BLOCK_CHANNEL_MIN_ID + 2)
    expect(openBlockChannel(server)?.id).toBe(BLOCK_CHANNEL_MIN_ID + 1)
    // the server refuses its own parity, ids outside the range, and ids it already holds
    expect(acceptBlockChannel(server, BLOCK_CHANNEL_MIN_ID + 3)).toBeUndefined()
    expect(acceptBlockChannel(server, 2)).toBeUndefined()
    expect(acceptBlockChannel(server, BLOCK_CHANNEL_MAX_ID + 1)).toBeUndefined()
    expect(acceptBlockChannel(server, 800.5)).toBeUndefined()
    expect(acceptBlockChannel(server, BLOCK_CHANNEL_MIN_ID)?.id).toBe(BLOCK_CHANNEL_MIN_ID)
    expect(acceptBlockChannel(server, BLOCK_CHANNEL_MIN_ID)).toBeUndefined()
    // a closed channel's id is free again
    const gone = closed(first!)
    first!.close()
    await gone
    expect(openBlockChannel(client)?.id).toBe(BLOCK_CHANNEL_MIN_ID)
  })

  it('an id the browser says is in use is skipped; when the whole range is taken there is no channel', () => {
    const { client } = fakeHostPair()
    client.createDataChannel('libp2p stream', { negotiated: true, id: BLOCK_CHANNEL_MIN_ID })
    expect(openBlockChannel(client)?.id).toBe(BLOCK_CHANNEL_MIN_ID + 2)
    while (openBlockChannel(client) != null) { /* take every id */ }
    expect(client.channels.size).toBe((BLOCK_CHANNEL_MAX_ID - BLOCK_CHANNEL_MIN_ID + 1) / 2)
  })

  it('the peer connection is found under a WebRTC connection only; the message size is capped and has a safe default', () => {
    const { client } = fakeHostPair(1 << 30)
    expect(channelHostOf(connectionOver(client))).toBe(client)
    expect(channelHostOf(connectionOver(undefined))).toBeUndefined()
    expect(channelHostOf(undefined)).toBeUndefined()
    expect(channelHostOf({ maConn: { peerConnection: {} } } as never)).toBeUndefined()
    expect(maxMessageBytes(client)).toBe(262_144)
    expect(maxMessageBytes({ sctp: null })).toBe(65_536)
    expect(maxMessageBytes({ sctp: { maxMessageSize: 16_384 } })).toBe(16_384)
  })

  it('a channel is offered only on a stream that negotiated the current protocol, over a peer connection', () => {
    const { client } = fakeHostPair()
    expect(CLIENT_BLOCK_PROTOCOLS[0]).toBe(BLOCK_PROTOCOL)
    expect(offerBlockChannel(connectionOver(client), { protocol: CLIENT_BLOCK_PROTOCOLS[1] as string })).toBeUndefined()
    expect(offerBlockChannel(connectionOver(undefined), { protocol: BLOCK_PROTOCOL })).toBeUndefined()
    expect(offerBlockChannel(connectionOver(client), { protocol: BLOCK_PROTOCOL })?.channel.id).toBe(BLOCK_CHANNEL_MIN_ID)
  })
})

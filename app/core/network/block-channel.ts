import { BLOCK_CHANNEL_MAX_ID, BLOCK_CHANNEL_MIN_ID } from '../constants.ts'
import type { Connection } from '@libp2p/interface'

/**
 * Block channels: an RTCDataChannel of our own beside libp2p's streams, on the
 * same RTCPeerConnection, that carries a block stream's answers
 * (protocol/block-codec.ts, CHANNEL). @libp2p/webrtc's stream layer costs
 * ~15-20 ms of CPU per MB on top of a plain channel (docs/performance.md):
 * per message a protobuf, a copy, and the length prefix as a message of its own.
 *
 * The channel is negotiated (both ends create it with the same id), so no
 * 'datachannel' event reaches libp2p's muxer. The client picks the id, from
 * its own DTLS side's parity (RFC 8832: the DTLS client opens even ids, the
 * server odd): the remote's libp2p never allocates an id of that parity, so
 * nothing can open it meanwhile; the server accepts only ids of the client's
 * parity, so one it created itself cannot be taken. Ids come from a range far
 * above what libp2p's lowest-free allocation reaches.
 */

/** What Chiral uses of an RTCDataChannel (unit tests pair two in-memory ones of this shape). */
export type DataChannel = Pick<RTCDataChannel,
  'id' | 'label' | 'readyState' | 'bufferedAmount' | 'bufferedAmountLowThreshold' | 'binaryType' | 'send' | 'close' | 'addEventListener' | 'removeEventListener'>

/** What Chiral uses of an RTCPeerConnection. */
export interface ChannelHost {
  createDataChannel(label: string, init: RTCDataChannelInit): DataChannel
  readonly localDescription: { sdp: string } | null
  readonly remoteDescription: { sdp: string } | null
  readonly sctp: { maxMessageSize: number } | null
}

export const BLOCK_CHANNEL_LABEL = 'chiral-blocks'
/** What a channel may carry in one message when SCTP does not say: every browser takes 64 KiB. */
const SAFE_MESSAGE_BYTES = 65_536
/** Our frames are at most a block plus a header; larger messages than this buy nothing. */
const MAX_MESSAGE_BYTES = 262_144

/** Ids our block channels hold, per peer connection (ours and the ones we accepted). */
const held = new WeakMap<ChannelHost, Set<number>>()

/**
 * The RTCPeerConnection under a direct WebRTC connection, or undefined (a
 * relayed, WebSocket or in-memory connection). @libp2p/webrtc keeps it on its
 * multiaddr connection, which libp2p keeps private: read defensively, and
 * without it blocks travel on the libp2p stream as before.
 */
export function channelHostOf (connection: Connection | undefined): ChannelHost | undefined {
  const host = (connection as { maConn?: { peerConnection?: unknown } } | undefined)?.maConn?.peerConnection
  if (host == null || typeof (host as ChannelHost).createDataChannel !== 'function') return undefined
  return host as ChannelHost
}

/** 0 when this end opens even SCTP stream ids (DTLS client, `a=setup:active`), 1 when odd; undefined when the SDP does not say. */
export function ownIdParity (host: Pick<ChannelHost, 'localDescription' | 'remoteDescription'>): 0 | 1 | undefined {
  const setup = (sdp: string | undefined): string | undefined => /^a=setup:(\w+)/m.exec(sdp ?? '')?.[1]
  const local = setup(host.localDescription?.sdp)
  if (local === 'active') return 0
  if (local === 'passive') return 1
  const remote = setup(host.remoteDescription?.sdp)
  if (local === 'actpass' && remote === 'active') return 1
  if (local === 'actpass' && remote === 'passive') return 0
  return undefined
}

/** The largest message `host` may send, capped at a block frame's size. */
export function maxMessageBytes (host: Pick<ChannelHost, 'sctp'>): number {
  const max = host.sctp?.maxMessageSize
  return max == null || max <= 0 ? SAFE_MESSAGE_BYTES : Math.min(max, MAX_MESSAGE_BYTES)
}

/** Client: a new block channel with an id of our own parity; undefined when none can be made (the stream carries the blocks). */
export function openBlockChannel (host: ChannelHost): DataChannel | undefined {
  const parity = ownIdParity(host)
  if (parity == null) return undefined
  const ids = heldIds(host)
  for (let id = BLOCK_CHANNEL_MIN_ID + ((BLOCK_CHANNEL_MIN_ID + parity) % 2); id <= BLOCK_CHANNEL_MAX_ID; id += 2) {
    if (ids.has(id)) continue
    const channel = create(host, id)
    if (channel != null) return channel
  }
  return undefined
}

/** Server: our end of the channel a client asked for; undefined when `id` is not one the client may pick, or is taken. */
export function acceptBlockChannel (host: ChannelHost, id: number): DataChannel | undefined {
  const parity = ownIdParity(host)
  if (parity == null || !Number.isInteger(id) || id < BLOCK_CHANNEL_MIN_ID || id > BLOCK_CHANNEL_MAX_ID) return undefined
  if (id % 2 === parity || heldIds(host).has(id)) return undefined
  return create(host, id)
}

function heldIds (host: ChannelHost): Set<number> {
  let ids = held.get(host)
  if (ids == null) {
    ids = new Set()
    held.set(host, ids)
  }
  return ids
}

function create (host: ChannelHost, id: number): DataChannel | undefined {
  let channel: DataChannel
  try {
    channel = host.createDataChannel(BLOCK_CHANNEL_LABEL, { negotiated: true, id, ordered: true })
  } catch {
    return undefined // the id is in use (a libp2p stream after all) or the connection is closing
  }
  channel.binaryType = 'arraybuffer'
  const ids = heldIds(host)
  ids.add(id)
  channel.addEventListener('close', () => { ids.delete(id) }, { once: true })
  return channel
}

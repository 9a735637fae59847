import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { defaultLogger } from '@libp2p/logger'
import * as mss from '@libp2p/multistream-select'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { lpStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { WebSocket } from 'ws'
import { RelayWebSocketConnection } from '../../relay/ws-transport/connection.ts'
import type { PeerId, Stream, StreamMuxerFactory, Upgrader } from '@libp2p/interface'

const HOP_PROTOCOL = '/libp2p/circuit/relay/0.2.0/hop'
const PING_PROTOCOL = '/ipfs/ping/1.0.0'
/** HopMessage { type: RESERVE } (circuit v2 protobuf: field 1, varint 0). */
const RESERVE_REQUEST = Uint8Array.of(0x08, 0x00)
/** circuit v2 Status.OK */
const STATUS_OK = 100

export interface ReserveOptions {
  /** ws://host:port or wss://host:port of the relay. */
  url: string
  relayPeerId: PeerId
  /** Source address of the TCP connection (any 127/8 address works on loopback). */
  localAddress?: string
  /** Extra CA to trust for wss (a test's self-signed certificate). */
  ca?: Buffer
  signal: AbortSignal
}

export interface ReserveAttempt {
  /** reserved: status OK; refused: the relay answered another status; failed: no answer (closed, refused socket...). */
  outcome: 'reserved' | 'refused' | 'failed'
  /** The circuit v2 status, or the error message. */
  detail: string
  /** Drop the connection (and with it any reservation). */
  close: () => void
}

export interface RawPeer {
  /** Open a stream and negotiate `protocol` on it. */
  openStream: (protocol: string, signal: AbortSignal) => Promise<Stream>
  /** Send a circuit v2 HOP RESERVE and return the status the relay answers. */
  reserve: (signal: AbortSignal) => Promise<number>
  /** Resolves when the WebSocket closes, whoever closed it. */
  closed: Promise<void>
  close: () => void
}

/**
 * A fresh libp2p peer as far as the relay can tell: a WebSocket (from a chosen
 * source address), multistream-select, noise with a new Ed25519 identity, and
 * yamux, without a whole libp2p node per identity, so a test can make a
 * thousand of them. It answers the relay's pings and refuses its other streams.
 */
export async function connectRawPeer (options: ReserveOptions): Promise<RawPeer> {
  const ws = new WebSocket(options.url, { localAddress: options.localAddress, ca: options.ca, perMessageDeflate: false })
  let failure: Error | undefined
  ws.on('error', err => { failure ??= err })
  const closed = new Promise<void>(resolve => { ws.once('close', () => { resolve() }) })
  const close = (): void => { ws.terminate() }
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve)
      void closed.then(() => { reject(failure ?? new Error('closed before open')) })
      options.signal.addEventListener('abort', () => { reject(options.signal.reason) }, { once: true })
    })
    const privateKey = await generateKeyPair('Ed25519')
    const log = defaultLogger().forComponent('test:raw-peer')
    const maConn = new RelayWebSocketConnection({ socket: ws, remoteAddr: multiaddr('/ip4/127.0.0.1/tcp/1/ws'), direction: 'outbound', log })
    const muxers = new Map<string, StreamMuxerFactory>([['/yamux/1.0.0', yamux()()]])
    const upgrader = { getStreamMuxers: () => muxers } as unknown as Upgrader
    const encrypter = noise()({ privateKey, peerId: peerIdFromPrivateKey(privateKey), logger: defaultLogger(), upgrader })
    await mss.select(maConn, encrypter.protocol, { signal: options.signal })
    const secured = await encrypter.secureOutbound(maConn, { remotePeer: options.relayPeerId, signal: options.signal })
    let muxerFactory = secured.streamMuxer
    if (muxerFactory == null) {
      await mss.select(secured.connection, '/yamux/1.0.0', { signal: options.signal })
      muxerFactory = muxers.get('/yamux/1.0.0') as StreamMuxerFactory
    }
    const muxer = muxerFactory.createStreamMuxer(secured.connection)
    muxer.addEventListener('stream', evt => { answer(evt.detail) })
    const openStream = async (protocol: string, signal: AbortSignal): Promise<Stream> => {
      const stream = await muxer.createStream()
      await mss.select(stream, protocol, { signal })
      return stream
    }
    return {
      openStream,
      reserve: async signal => {
        const lp = lpStream(await openStream(HOP_PROTOCOL, signal))
        await lp.write(RESERVE_REQUEST, { signal })
        return hopStatus((await lp.read({ signal })).subarray())
      },
      closed,
      close
    }
  } catch (err) {
    close()
    throw failure ?? err
  }
}

/** One reservation attempt by a fresh peer; a reserved connection stays open until close(). */
export async function tryReservation (options: ReserveOptions): Promise<ReserveAttempt> {
  let peer: RawPeer | undefined
  try {
    peer = await connectRawPeer(options)
    const status = await peer.reserve(options.signal)
    return { outcome: status === STATUS_OK ? 'reserved' : 'refused', detail: `status ${status}`, close: peer.close }
  } catch (err) {
    peer?.close()
    return { outcome: 'failed', detail: (err as Error).message, close: () => {} }
  }
}

/** Keep the relay's connection monitor happy (it drops connections that fail pings); refuse anything else. */
function answer (stream: Stream): void {
  mss.handle(stream, PING_PROTOCOL, { signal: AbortSignal.timeout(10_000) }).then(() => {
    stream.addEventListener('message', evt => { stream.send(evt.data) })
  }, err => { stream.abort(err as Error) })
}

/** Field 5 (status, varint) of a HopMessage; 0 when absent. */
function hopStatus (bytes: Uint8Array): number {
  let i = 0
  const varint = (): number => {
    let value = 0
    let shift = 0
    for (;;) {
      const byte = bytes[i++]
      if (byte == null) throw new Error('truncated HopMessage')
      value += (byte & 0x7f) * 2 ** shift
      if ((byte & 0x80) === 0) return value
      shift += 7
    }
  }
  while (i < bytes.length) {
    const tag = varint()
    const field = tag >>> 3
    const wire = tag & 7
    if (wire === 0) {
      const value = varint()
      if (field === 5) return value
    } else if (wire === 2) {
      // read the length before moving on: `i += varint()` would add it to the old position
      const length = varint()
      i += length
    } else {
      throw new Error(`unexpected wire type ${wire} in HopMessage`)
    }
  }
  return 0
}

import type { ChannelHost, DataChannel } from '../../app/core/network/block-channel.ts'
import type { Connection } from '@libp2p/interface'

/**
 * Two in-memory peer connections with negotiated data channels, shaped like
 * RTCPeerConnection and RTCDataChannel as far as Chiral uses them (ChannelHost,
 * DataChannel), for unit tests of block channels. As in a browser: a channel
 * opens a turn after it is created, a message to an id the other side has not
 * created is lost, an id in use cannot be created again, a message over the
 * size limit throws, `bufferedAmount` counts what is not yet delivered, and
 * closing delivers what was sent first and closes both ends.
 */
export class FakeChannelHost implements ChannelHost {
  readonly localDescription: { sdp: string }
  readonly remoteDescription: { sdp: string }
  readonly sctp: { maxMessageSize: number }
  readonly channels = new Map<number, FakeDataChannel>()
  /** Messages sent per channel id, for tests that count them. */
  readonly sent = new Map<number, number[]>()
  other!: FakeChannelHost

  constructor (setup: 'active' | 'passive', maxMessageSize: number) {
    this.localDescription = { sdp: `v=0\r\na=setup:${setup}\r\n` }
    this.remoteDescription = { sdp: `v=0\r\na=setup:${setup === 'active' ? 'actpass' : 'active'}\r\n` }
    this.sctp = { maxMessageSize }
  }

  createDataChannel (label: string, init: RTCDataChannelInit): DataChannel {
    if (init.negotiated !== true || init.id == null) throw new TypeError('only negotiated channels here')
    if (this.channels.has(init.id)) throw new DOMException(`id ${init.id} in use`, 'OperationError')
    const channel = new FakeDataChannel(this, init.id, label)
    this.channels.set(init.id, channel)
    return channel
  }
}

export class FakeDataChannel extends EventTarget implements DataChannel {
  readonly id: number
  readonly label: string
  readyState: RTCDataChannelState = 'connecting'
  bufferedAmount = 0
  bufferedAmountLowThreshold = 0
  binaryType: BinaryType = 'blob'
  private readonly host: FakeChannelHost
  private inFlight = 0

  constructor (host: FakeChannelHost, id: number, label: string) {
    super()
    this.host = host
    this.id = id
    this.label = label
    setTimeout(() => {
      if (this.readyState !== 'connecting') return
      this.readyState = 'open'
      this.dispatchEvent(new Event('open'))
    }, 0)
  }

  send (data: string | Blob | ArrayBuffer | ArrayBufferView): void {
    if (this.readyState !== 'open') throw new DOMException('not open', 'InvalidStateError')
    const bytes = typeof data === 'string' ? data : data instanceof Blob ? undefined : copyOf(data)
    if (bytes === undefined) throw new TypeError('no blobs here')
    const size = typeof bytes === 'string' ? bytes.length : bytes.byteLength
    if (size > this.host.sctp.maxMessageSize) throw new TypeError(`message of ${size} bytes over ${this.host.sctp.maxMessageSize}`)
    const counts = this.host.sent.get(this.id) ?? []
    counts.push(size)
    this.host.sent.set(this.id, counts)
    this.bufferedAmount += size
    this.inFlight++
    setTimeout(() => {
      this.inFlight--
      const before = this.bufferedAmount
      this.bufferedAmount -= size
      const remote = this.host.other.channels.get(this.id)
      if (remote?.readyState === 'open') remote.dispatchEvent(new MessageEvent('message', { data: bytes }))
      if (before > this.bufferedAmountLowThreshold && this.bufferedAmount <= this.bufferedAmountLowThreshold) this.dispatchEvent(new Event('bufferedamountlow'))
      if (this.readyState === 'closing' && this.inFlight === 0) this.closeBoth()
    }, 0)
  }

  close (): void {
    if (this.readyState === 'closing' || this.readyState === 'closed') return
    this.readyState = 'closing'
    if (this.inFlight === 0) setTimeout(() => { this.closeBoth() }, 0)
  }

  private closeBoth (): void {
    for (const end of [this, this.host.other.channels.get(this.id)]) {
      if (end == null || end.readyState === 'closed') continue
      end.readyState = 'closed'
      end.host.channels.delete(end.id)
      end.dispatchEvent(new Event('close'))
    }
  }
}

function copyOf (data: ArrayBuffer | ArrayBufferView): ArrayBuffer {
  const view = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  return view.slice().buffer
}

/** A connected pair: the client end is the DTLS client (even ids), the server end the DTLS server (odd ids). */
export function fakeHostPair (maxMessageSize = 262_144): { client: FakeChannelHost, server: FakeChannelHost } {
  const client = new FakeChannelHost('active', maxMessageSize)
  const server = new FakeChannelHost('passive', maxMessageSize)
  client.other = server
  server.other = client
  return { client, server }
}

/** A libp2p connection as block-channel.ts finds its peer connection under it. */
export function connectionOver (host: ChannelHost | undefined, peer = 'peer'): Connection {
  return { remotePeer: { toString: () => peer }, maConn: { peerConnection: host } } as unknown as Connection
}

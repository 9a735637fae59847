import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { identify } from '@libp2p/identify'
import { kadDHT, passthroughMapper, removePrivateAddressesMapper } from '@libp2p/kad-dht'
import { ping } from '@libp2p/ping'
import { webRTC } from '@libp2p/webrtc'
import { webSockets } from '@libp2p/websockets'
import { ADDRESS_DIAL_TIMEOUT_MS } from '../constants.ts'
import { DHT_PROTOCOL } from './protocols.ts'
import type { Identify } from '@libp2p/identify'
import type { PrivateKey } from '@libp2p/interface'
import type { KadDHT } from '@libp2p/kad-dht'
import type { Ping } from '@libp2p/ping'
import type { Libp2pOptions } from 'libp2p'

/** Chromium accepts 256 KiB data channel messages: one block per message, measurably faster than 16 KiB. */
const DATA_CHANNEL_MAX_MESSAGE_BYTES = 262_144

export interface PeerNetworkInit {
  privateKey: PrivateKey
  allowPrivateAddresses: boolean
  /**
   * Called for every new RTCPeerConnection. It must always name its ICE servers
   * (an empty list included): @libp2p/webrtc puts Google's STUN servers in when
   * `iceServers` is missing, and we never use a third party the relay did not name.
   */
  rtcConfiguration: () => Promise<RTCConfiguration>
}

/**
 * The browser peer: reachable through a relay reservation (`/p2p-circuit`),
 * upgraded to direct WebRTC (`/webrtc`) for data; a DHT client.
 */
export interface PeerServices extends Record<string, unknown> {
  identify: Identify
  ping: Ping
  dht: KadDHT
}

export function browserLibp2pOptions (init: PeerNetworkInit): Libp2pOptions<PeerServices> {
  guardInitChannels(globalThis.RTCPeerConnection?.prototype)
  return {
    privateKey: init.privateKey,
    addresses: { listen: ['/p2p-circuit', '/webrtc'] },
    transports: [
      webSockets(),
      webRTC({
        rtcConfiguration: init.rtcConfiguration,
        dataChannel: { maxMessageSize: DATA_CHANNEL_MAX_MESSAGE_BYTES }
      }),
      circuitRelayTransport()
    ],
    connectionEncrypters: [noise()],
    connectionManager: { addressDialTimeout: ADDRESS_DIAL_TIMEOUT_MS },
    streamMuxers: [yamux()],
    // The default gater refuses ws:// and private addresses: right on the internet, wrong for a local relay.
    connectionGater: init.allowPrivateAddresses ? { denyDialMultiaddr: async () => false } : undefined,
    services: {
      identify: identify(),
      ping: ping(),
      dht: kadDHT({
        protocol: DHT_PROTOCOL,
        clientMode: true,
        // every query waits for the first self-query, which by default starts 1 s
        // after start-up: run it as soon as the relay is in the routing table instead
        initialQuerySelfInterval: 0,
        peerInfoMapper: init.allowPrivateAddresses ? passthroughMapper : removePrivateAddressesMapper
      })
    }
  }
}

const GUARDED = Symbol.for('chiral.guardInitChannels')

/**
 * Works around a race in @libp2p/webrtc 6.0 that hung about one WebRTC dial in
 * three here for the whole address timeout (6 s) when a tab dialed two peers at
 * once. The dialer (private-to-private/initiate-connection.js) creates an
 * 'init' data channel, waits until its RTCPeerConnection reports `connected`,
 * and only then, if `readyState !== 'open'`, waits for the channel's `open`
 * event, closes it and waits for `close`. The listener's muxer closes that
 * channel as soon as its own side is connected (muxer.js onDataChannel). On a
 * busy tab the dialer often learns `open` and then the remote's `close` before
 * its own `connected`: the channel reads `closed` and the dial waits for an
 * `open` that already happened.
 *
 * Here an 'init' channel we created reads `open` from its first `open` event
 * until we close it ourselves, and closing one the remote already closed fires
 * `close` again, so the dialer carries on. Other channels are untouched.
 * Remove once @libp2p/webrtc copes with an init channel that is already closed.
 */
export function guardInitChannels (proto: Pick<RTCPeerConnection, 'createDataChannel'> | undefined): void {
  if (proto == null || Object.hasOwn(proto, GUARDED)) return
  const create = proto.createDataChannel
  proto.createDataChannel = function (this: RTCPeerConnection, label: string, options?: RTCDataChannelInit): RTCDataChannel {
    const channel = create.call(this, label, options)
    if (label === 'init') guardInitChannel(channel)
    return channel
  }
  Object.defineProperty(proto, GUARDED, { value: true })
}

function guardInitChannel (channel: RTCDataChannel): void {
  const actualState = (): RTCDataChannelState => Reflect.get(Object.getPrototypeOf(channel) as object, 'readyState', channel) as RTCDataChannelState
  let opened = false
  let closeFired = false
  let closedByUs = false
  channel.addEventListener('open', () => { opened = true })
  channel.addEventListener('close', () => { closeFired = true })
  Object.defineProperty(channel, 'readyState', {
    configurable: true,
    get: (): RTCDataChannelState => opened && !closedByUs ? 'open' : actualState()
  })
  const close = channel.close
  channel.close = (): void => {
    if (closedByUs) return
    closedByUs = true
    if (!closeFired) {
      close.call(channel)
      return
    }
    // already closed by the remote: the dialer is about to wait for this event
    setTimeout(() => { channel.dispatchEvent(new Event('close')) }, 0)
  }
}

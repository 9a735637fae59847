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
import { guardInitChannels } from './webrtc-init-guard.ts'
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

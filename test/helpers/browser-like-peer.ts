import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { identify } from '@libp2p/identify'
import { kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { ping } from '@libp2p/ping'
import { webSockets } from '@libp2p/websockets'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p, type Libp2p } from 'libp2p'
import { DHT_PROTOCOL } from '../../app/core/network/protocols.ts'

/** A peer configured like a browser tab on a local set-up: DHT client, relay client, private dials allowed. */
export async function createBrowserLikePeer (): Promise<Libp2p> {
  return await createLibp2p({
    addresses: { listen: ['/p2p-circuit'] },
    transports: [webSockets(), circuitRelayTransport()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: { denyDialMultiaddr: () => false },
    services: {
      identify: identify(),
      ping: ping(),
      dht: kadDHT({ protocol: DHT_PROTOCOL, clientMode: true, peerInfoMapper: passthroughMapper })
    }
  })
}

/** Resolves once the peer advertises a relayed address, i.e. holds a reservation on a relay. */
export async function reservation (peer: Libp2p, signal: AbortSignal): Promise<string> {
  const circuit = (): string | undefined => peer.getMultiaddrs().map(String).find(a => a.includes('/p2p-circuit'))
  return await new Promise((resolve, reject) => {
    const check = (): void => {
      const addr = circuit()
      if (addr == null) return
      // the listen address appears at once ('transport:listening'); 'self:peer:update' only after a 1 s debounce
      peer.removeEventListener('transport:listening', check)
      peer.removeEventListener('self:peer:update', check)
      resolve(addr)
    }
    peer.addEventListener('transport:listening', check)
    peer.addEventListener('self:peer:update', check)
    signal.addEventListener('abort', () => { reject(signal.reason) }, { once: true })
    check()
  })
}

/** A fresh browser-like peer dials `address`, takes a reservation, and stops again. */
export async function reserveWithRealPeer (address: string, signal: AbortSignal): Promise<string> {
  const peer = await createBrowserLikePeer()
  try {
    await peer.dial(multiaddr(address), { signal })
    return await reservation(peer, signal)
  } finally {
    await peer.stop()
  }
}

import { isPrivateMultiaddr } from './address-scope.ts'
import type { Multiaddr } from '@multiformats/multiaddr'

/** What GET /bootstrap.json returns: how a browser finds the relay. */
export interface BootstrapInfo {
  peerId: string
  /** Dialable relay addresses, each ending in /p2p/<peerId>. */
  multiaddrs: string[]
  /** True when an address is loopback/private: a local/dev set-up where the browser must allow such dials. */
  allowPrivateAddresses: boolean
}

/** Browsers can only dial WebSockets (ws, wss, tls/ws) among the relay's transports. */
const WEBSOCKET_PROTOCOLS = new Set(['ws', 'wss'])

/** Build the bootstrap document from the node's current addresses (announce or listen). */
export function bootstrapInfo (peerId: string, addrs: Multiaddr[]): BootstrapInfo {
  const multiaddrs = addrs
    .filter(ma => ma.getComponents().some(c => WEBSOCKET_PROTOCOLS.has(c.name)))
    .map(ma => withPeerId(ma, peerId))
  return {
    peerId,
    multiaddrs,
    allowPrivateAddresses: multiaddrs.some(ma => isPrivateMultiaddr(ma))
  }
}

function withPeerId (ma: Multiaddr, peerId: string): string {
  const s = ma.toString()
  return ma.getComponents().some(c => c.name === 'p2p') ? s : `${s}/p2p/${peerId}`
}

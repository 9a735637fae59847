import { isPrivateMultiaddr } from './address-scope.ts'
import type { IssuedIceServers } from './ice-servers.ts'
import type { BootstrapDocument } from '../app/core/protocol/bootstrap-document.ts'
import type { Multiaddr } from '@multiformats/multiaddr'

/** What GET /bootstrap.json returns (app/core/protocol/bootstrap-document.ts). */
export type BootstrapInfo = BootstrapDocument

/** Browsers can only dial WebSockets (ws, wss, tls/ws) among the relay's transports. */
const WEBSOCKET_PROTOCOLS = new Set(['ws', 'wss'])

/** Build the bootstrap document from the node's current addresses (announce or listen) and the ICE servers for this client. */
export function bootstrapInfo (peerId: string, addrs: Multiaddr[], ice: IssuedIceServers = { iceServers: [] }): BootstrapInfo {
  const multiaddrs = addrs
    .filter(ma => ma.getComponents().some(c => WEBSOCKET_PROTOCOLS.has(c.name)))
    .map(ma => withPeerId(ma, peerId))
  return {
    peerId,
    multiaddrs,
    allowPrivateAddresses: multiaddrs.some(ma => isPrivateMultiaddr(ma)),
    ...ice
  }
}

function withPeerId (ma: Multiaddr, peerId: string): string {
  const s = ma.toString()
  return ma.getComponents().some(c => c.name === 'p2p') ? s : `${s}/p2p/${peerId}`
}

import { ipKey } from './ip-key.ts'
import type { Connection } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** The IP address a multiaddr starts with (/ip4/… or /ip6/…), if it does. */
export function ipOfMultiaddr (ma: Multiaddr): string | undefined {
  const first = ma.getComponents()[0]
  return first != null && (first.name === 'ip4' || first.name === 'ip6') ? first.value : undefined
}

/**
 * The per-address keys (relay/ip-key.ts) a peer is connected from. Relayed
 * (/p2p-circuit) connections name the relay's address, not the peer's, so they
 * do not count.
 */
export function ipKeysOf (connections: readonly Connection[]): string[] {
  const keys = new Set<string>()
  for (const connection of connections) {
    if (connection.limits != null || connection.remoteAddr.getComponents().some(c => c.name === 'p2p-circuit')) continue
    const ip = ipOfMultiaddr(connection.remoteAddr)
    if (ip != null) keys.add(ipKey(ip))
  }
  return [...keys]
}

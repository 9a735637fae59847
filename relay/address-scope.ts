import { BlockList, isIP } from 'node:net'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'

/**
 * Ranges a browser on the public internet cannot reach: loopback, RFC 1918,
 * CGNAT, link-local, unique-local, documentation and benchmarking nets. Follows
 * libp2p's `isPrivate` (what kad-dht's removePrivateAddressesMapper drops), so
 * an address we call public is one the DHT keeps.
 */
const PRIVATE_RANGES = new BlockList()
PRIVATE_RANGES.addSubnet('0.0.0.0', 8, 'ipv4')
PRIVATE_RANGES.addSubnet('10.0.0.0', 8, 'ipv4')
PRIVATE_RANGES.addSubnet('100.64.0.0', 10, 'ipv4')
PRIVATE_RANGES.addSubnet('127.0.0.0', 8, 'ipv4')
PRIVATE_RANGES.addSubnet('169.254.0.0', 16, 'ipv4')
PRIVATE_RANGES.addSubnet('172.16.0.0', 12, 'ipv4')
PRIVATE_RANGES.addSubnet('192.168.0.0', 16, 'ipv4')
PRIVATE_RANGES.addSubnet('192.0.0.0', 24, 'ipv4')
PRIVATE_RANGES.addSubnet('192.0.2.0', 24, 'ipv4')
PRIVATE_RANGES.addSubnet('198.18.0.0', 15, 'ipv4')
PRIVATE_RANGES.addSubnet('198.51.100.0', 24, 'ipv4')
PRIVATE_RANGES.addSubnet('203.0.113.0', 24, 'ipv4')
PRIVATE_RANGES.addSubnet('240.0.0.0', 4, 'ipv4')
PRIVATE_RANGES.addAddress('::', 'ipv6')
PRIVATE_RANGES.addAddress('::1', 'ipv6')
PRIVATE_RANGES.addSubnet('fc00::', 7, 'ipv6')
PRIVATE_RANGES.addSubnet('fe80::', 10, 'ipv6')

/** True for a loopback, private, link-local or unspecified IP address, or the name localhost. */
export function isPrivateHost (host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase()
  if (h === 'localhost' || h.endsWith('.localhost')) return true
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h)?.[1]
  if (mapped != null) return PRIVATE_RANGES.check(mapped, 'ipv4')
  switch (isIP(h)) {
    case 4: return PRIVATE_RANGES.check(h, 'ipv4')
    case 6: return PRIVATE_RANGES.check(h, 'ipv6')
    default: return false
  }
}

/** True when the multiaddr's first component names a private/loopback host. */
export function isPrivateMultiaddr (addr: Multiaddr | string): boolean {
  const first = (typeof addr === 'string' ? multiaddr(addr) : addr).getComponents()[0]
  if (first == null || first.value == null) return false
  return ['ip4', 'ip6', 'dns', 'dns4', 'dns6', 'dnsaddr'].includes(first.name) && isPrivateHost(first.value)
}

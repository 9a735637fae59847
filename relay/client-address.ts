import { BlockList, isIP } from 'node:net'
import type { IncomingMessage } from 'node:http'

/**
 * Whom a request comes from. Directly, that is the socket's address. Behind a
 * reverse proxy every socket comes from the proxy, so for sockets from a
 * proxy named with --trusted-proxy the client is read from X-Forwarded-For:
 * the right-most address that is not itself a trusted proxy (anything left of
 * it was written by the client and proves nothing). Per-address limits and
 * TURN minting then count real clients, not the proxy.
 */
export interface ClientAddresses {
  isTrustedProxy(address: string): boolean
  /** The client's address for this request (the socket's when it is not from a trusted proxy). */
  of(req: IncomingMessage): string
}

/** Longest X-Forwarded-For we read: a few proxies' worth. Longer is refused, not parsed. */
export const MAX_FORWARDED_FOR_LENGTH = 1024

export function clientAddresses (trustedProxies: readonly string[]): ClientAddresses {
  const trusted = new BlockList()
  for (const ip of trustedProxies) trusted.addAddress(bare(ip), isIP(bare(ip)) === 6 ? 'ipv6' : 'ipv4')
  const isTrustedProxy = (address: string): boolean => {
    const ip = bare(address)
    const family = isIP(ip)
    return family !== 0 && trusted.check(ip, family === 6 ? 'ipv6' : 'ipv4')
  }
  return {
    isTrustedProxy,
    of (req) {
      const socketAddress = req.socket.remoteAddress ?? ''
      if (trustedProxies.length === 0 || !isTrustedProxy(socketAddress)) return socketAddress
      const header = req.headers['x-forwarded-for']
      const value = Array.isArray(header) ? header.join(',') : header
      if (value == null || value.length > MAX_FORWARDED_FOR_LENGTH) return socketAddress
      const hops = value.split(',').map(hop => bare(hop.trim()))
      for (let i = hops.length - 1; i >= 0; i--) {
        const hop = hops[i]!
        if (isIP(hop) === 0) return socketAddress // garbage: do not guess
        if (!isTrustedProxy(hop)) return hop
      }
      return socketAddress
    }
  }
}

/** `::ffff:1.2.3.4` → `1.2.3.4`, `[::1]` → `::1`. */
function bare (address: string): string {
  const unbracketed = address.replace(/^\[|\]$/g, '')
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(unbracketed) ? unbracketed.slice(7) : unbracketed
}

import { describe, expect, it } from 'vitest'
import { clientAddresses, MAX_FORWARDED_FOR_LENGTH } from '../../relay/client-address.ts'
import type { IncomingMessage } from 'node:http'

function request (socketAddress: string, forwardedFor?: string): IncomingMessage {
  return { socket: { remoteAddress: socketAddress }, headers: forwardedFor == null ? {} : { 'x-forwarded-for': forwardedFor } } as unknown as IncomingMessage
}

describe('clientAddresses', () => {
  it('without trusted proxies, the socket is the client whatever the headers say', () => {
    expect(clientAddresses([]).of(request('203.0.113.5', '198.51.100.1'))).toBe('203.0.113.5')
  })

  it('behind a trusted proxy, the right-most untrusted hop of X-Forwarded-For is the client', () => {
    const addresses = clientAddresses(['127.0.0.1', '10.0.0.2'])
    expect(addresses.of(request('127.0.0.1', '198.51.100.7'))).toBe('198.51.100.7')
    // the client may write anything on the left; only what our proxies appended counts
    expect(addresses.of(request('::ffff:127.0.0.1', '1.2.3.4, 198.51.100.7, 10.0.0.2'))).toBe('198.51.100.7')
    expect(addresses.isTrustedProxy('::ffff:127.0.0.1')).toBe(true)
  })

  it('ignores X-Forwarded-For from a socket that is not a trusted proxy', () => {
    expect(clientAddresses(['127.0.0.1']).of(request('203.0.113.5', '198.51.100.7'))).toBe('203.0.113.5')
  })

  it('falls back to the socket for a missing, garbled or oversized header', () => {
    const addresses = clientAddresses(['127.0.0.1'])
    expect(addresses.of(request('127.0.0.1'))).toBe('127.0.0.1')
    expect(addresses.of(request('127.0.0.1', 'not-an-ip'))).toBe('127.0.0.1')
    expect(addresses.of(request('127.0.0.1', '1.2.3.4,'.repeat(MAX_FORWARDED_FOR_LENGTH)))).toBe('127.0.0.1')
    expect(addresses.of(request('127.0.0.1', '127.0.0.1'))).toBe('127.0.0.1')
  })

  it('reads IPv6 clients and proxies', () => {
    expect(clientAddresses(['::1']).of(request('::1', '2001:db8::7'))).toBe('2001:db8::7')
  })
})

import { describe, expect, it } from 'vitest'
import { announceAddresses, relayUrl } from '../../relay/announce.ts'
import { dnsNamesOf } from '../../relay/tls-files.ts'

describe('announceAddresses', () => {
  it('uses --announce exactly as given', () => {
    expect(announceAddresses({ announce: ['/dns4/a.example/tcp/443/wss'], port: 8443, tlsDnsNames: ['b.example'] })).toEqual(['/dns4/a.example/tcp/443/wss'])
  })

  it('derives /dns4/<name>/tcp/<port>/tls/ws from every dialable certificate name', () => {
    expect(announceAddresses({ announce: [], port: 443, tlsDnsNames: ['relay.example.com', '*.example.com', 'chiral.example.org'] }))
      .toEqual(['/dns4/relay.example.com/tcp/443/tls/ws', '/dns4/chiral.example.org/tcp/443/tls/ws'])
  })

  it('leaves the listen addresses when there is no TLS or no usable name', () => {
    expect(announceAddresses({ announce: [], port: 8080 })).toEqual([])
    expect(announceAddresses({ announce: [], port: 8443, tlsDnsNames: [] })).toEqual([])
    expect(announceAddresses({ announce: [], port: 8443, tlsDnsNames: ['*.example.com'] })).toEqual([])
  })
})

describe('relayUrl', () => {
  it('is http on the listen host without TLS, with localhost for the unspecified address', () => {
    expect(relayUrl({ host: '127.0.0.1', port: 8080 })).toBe('http://127.0.0.1:8080')
    expect(relayUrl({ host: '0.0.0.0', port: 8080 })).toBe('http://localhost:8080')
    expect(relayUrl({ host: '::1', port: 8080 })).toBe('http://[::1]:8080')
  })

  it('is https on the first certificate name with TLS, without a default port', () => {
    expect(relayUrl({ host: '0.0.0.0', port: 443, tlsDnsNames: ['*.example.com', 'relay.example.com'] })).toBe('https://relay.example.com')
    expect(relayUrl({ host: '0.0.0.0', port: 8443, tlsDnsNames: ['relay.example.com'] })).toBe('https://relay.example.com:8443')
    expect(relayUrl({ host: '192.0.2.10', port: 8443, tlsDnsNames: [] })).toBe('https://192.0.2.10:8443')
  })
})

describe('dnsNamesOf', () => {
  it('reads DNS names from a subjectAltName as Node prints it, and nothing else', () => {
    expect(dnsNamesOf('DNS:Relay.Example.com, IP Address:192.0.2.1, DNS:*.example.org, email:a@b.example')).toEqual(['relay.example.com', '*.example.org'])
    expect(dnsNamesOf('DNS:"odd,name", DNS:ok.example')).toEqual(['ok.example'])
    expect(dnsNamesOf(undefined)).toEqual([])
  })
})

import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { isPrivateHost, isPrivateMultiaddr } from '../../relay/address-scope.ts'
import { bootstrapInfo } from '../../relay/bootstrap-info.ts'
import { isLocalSetup } from '../../relay/libp2p.ts'

const PEER = '12D3KooWGRUVh2W8Vn4bPr2QkxmR9f4Ch3pL5KYdTRsAJtThbzQi'

describe('bootstrapInfo', () => {
  it('lists WebSocket addresses with the peer id, and allows private dials for a local relay', () => {
    const info = bootstrapInfo(PEER, [multiaddr('/ip4/127.0.0.1/tcp/9090/ws')])
    expect(info).toEqual({
      peerId: PEER,
      multiaddrs: [`/ip4/127.0.0.1/tcp/9090/ws/p2p/${PEER}`],
      allowPrivateAddresses: true,
      iceServers: []
    })
  })

  it('carries the ICE servers issued for the client', () => {
    const ice = { iceServers: [{ urls: ['turn:t.example'], username: '1:a', credential: 'c' }], iceServersTtl: 60 }
    expect(bootstrapInfo(PEER, [multiaddr('/ip4/127.0.0.1/tcp/9090/ws')], ice)).toMatchObject(ice)
  })

  it('keeps an existing /p2p component and drops non-WebSocket addresses', () => {
    const info = bootstrapInfo(PEER, [
      multiaddr(`/dns4/relay.example.com/tcp/443/wss/p2p/${PEER}`),
      multiaddr('/ip4/1.1.1.1/tcp/4001')
    ])
    expect(info.multiaddrs).toEqual([`/dns4/relay.example.com/tcp/443/wss/p2p/${PEER}`])
    expect(info.allowPrivateAddresses).toBe(false)
  })

  it('allows private addresses when any address is private', () => {
    const info = bootstrapInfo(PEER, [multiaddr('/dns4/relay.example.com/tcp/443/wss'), multiaddr('/ip4/192.168.1.20/tcp/9090/ws')])
    expect(info.allowPrivateAddresses).toBe(true)
  })
})

describe('address scope', () => {
  it.each([
    ['127.0.0.1', true], ['10.1.2.3', true], ['172.20.0.1', true], ['192.168.0.9', true], ['100.64.1.1', true],
    ['169.254.1.1', true], ['0.0.0.0', true], ['::1', true], ['::', true], ['fd00::1', true], ['fe80::1', true],
    ['::ffff:10.0.0.1', true], ['192.0.2.2', true], ['203.0.113.7', true], ['localhost', true], ['8.8.8.8', false], ['172.32.0.1', false],
    ['2606:4700::1111', false], ['relay.example.com', false]
  ])('isPrivateHost(%s) is %s', (host, expected) => {
    expect(isPrivateHost(host)).toBe(expected)
  })

  it('classifies multiaddrs by their first component', () => {
    expect(isPrivateMultiaddr('/dns4/localhost/tcp/9090/ws')).toBe(true)
    expect(isPrivateMultiaddr('/ip6/::1/tcp/9090/ws')).toBe(true)
    expect(isPrivateMultiaddr('/dns4/relay.example.com/tcp/443/wss')).toBe(false)
  })
})

describe('isLocalSetup (which DHT address mapper the relay uses)', () => {
  it('is local for loopback, LAN and unspecified hosts without announce addresses', () => {
    expect(isLocalSetup({ host: '127.0.0.1' })).toBe(true)
    expect(isLocalSetup({ host: '0.0.0.0' })).toBe(true)
    expect(isLocalSetup({ host: '192.168.1.5' })).toBe(true)
  })

  it('follows the announce addresses when there are any', () => {
    expect(isLocalSetup({ host: '127.0.0.1', announce: ['/dns4/relay.example.com/tcp/443/wss'] })).toBe(false)
    expect(isLocalSetup({ host: '0.0.0.0', announce: ['/ip4/10.0.0.2/tcp/9090/ws'] })).toBe(true)
  })

  it('is public for a public listen address', () => {
    expect(isLocalSetup({ host: '1.1.1.1' })).toBe(false)
  })
})

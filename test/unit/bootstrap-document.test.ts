import { describe, expect, it } from 'vitest'
import { isIceServerUrl, parseBootstrapDocument } from '../../app/core/protocol/bootstrap-document.ts'

const BASE = { peerId: '12D3KooWTest', multiaddrs: ['/ip4/127.0.0.1/tcp/8080/ws/p2p/12D3KooWTest'], allowPrivateAddresses: true }

describe('parseBootstrapDocument', () => {
  it('accepts a document with STUN and TURN servers and a TTL', () => {
    const doc = {
      ...BASE,
      iceServers: [{ urls: 'stun:t.example:3478' }, { urls: ['turn:t.example:3478?transport=udp', 'turns:t.example:5349?transport=tcp'], username: '1:a', credential: 'c' }],
      iceServersTtl: 86400
    }
    expect(parseBootstrapDocument(doc)).toEqual({ ...doc, iceServers: [{ urls: ['stun:t.example:3478'] }, doc.iceServers[1]] })
  })

  it('treats a missing iceServers as none', () => {
    expect(parseBootstrapDocument(BASE).iceServers).toEqual([])
  })

  it.each([
    ['not an object', null],
    ['no peer id', { ...BASE, peerId: '' }],
    ['addresses not strings', { ...BASE, multiaddrs: [1] }],
    ['too many addresses', { ...BASE, multiaddrs: Array(33).fill('/ip4/1.2.3.4/tcp/1/ws') }],
    ['a server without URLs', { ...BASE, iceServers: [{ urls: [] }] }],
    ['an http URL', { ...BASE, iceServers: [{ urls: ['http://evil.example'] }] }],
    ['TURN without credentials', { ...BASE, iceServers: [{ urls: ['turn:t.example'] }] }],
    ['too many servers', { ...BASE, iceServers: Array(17).fill({ urls: ['stun:t.example'] }) }],
    ['a huge string', { ...BASE, iceServers: [{ urls: ['turn:t.example'], username: 'u'.repeat(2000), credential: 'c' }] }],
    ['a negative TTL', { ...BASE, iceServersTtl: -1 }]
  ])('refuses %s with InvalidBootstrapError', (_what, doc) => {
    expect(() => parseBootstrapDocument(doc)).toThrow(expect.objectContaining({ name: 'InvalidBootstrapError' }))
  })
})

describe('isIceServerUrl', () => {
  it.each([
    ['stun:stun.example.com', true],
    ['stun:192.0.2.10:3478', true],
    ['stun:[2001:db8::1]:3478', true],
    ['turn:turn.example.com:3478?transport=udp', true],
    ['turns:turn.example.com:5349?transport=tcp', true],
    ['stun:t.example?transport=udp', false],
    ['turn:t.example:0', false],
    ['turn:t.example:70000', false],
    ['turn:', false],
    ['turn://t.example', false],
    ['turn:t.example?transport=sctp', false]
  ])('%s → %s', (url, ok) => {
    expect(isIceServerUrl(url)).toBe(ok)
  })
})

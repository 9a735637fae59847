import { describe, expect, it } from 'vitest'
import { checkNetwork, offeredBy, summarizeCandidates } from '../../app/core/network/ice-check.ts'
import { networkItems, networkVerdict } from '../../app/ui/network-text.ts'

const ALL = { stun: true, turn: true, turnTransports: { udp: true, tcp: true, tls: false } }

describe('summarizeCandidates', () => {
  it('reads host, server-reflexive (with the public address) and relay candidates by TURN transport', () => {
    const check = summarizeCandidates([
      { type: 'host', address: '10.1.0.11' },
      { type: 'srflx', address: '192.0.2.101' },
      { type: 'relay', relayProtocol: null }, // Chromium leaves UDP unnamed
      { type: 'relay', relayProtocol: 'tcp' }
    ], ALL, true)
    expect(check).toEqual({ host: true, srflx: true, publicAddress: '192.0.2.101', relay: { udp: true, tcp: true, tls: false }, offered: ALL, complete: true })
  })

  it('nothing gathered is nothing found', () => {
    expect(summarizeCandidates([], offeredBy([]), false)).toMatchObject({ host: false, srflx: false, relay: { udp: false, tcp: false, tls: false }, complete: false })
  })
})

describe('network check in words', () => {
  const base = { host: true, srflx: false, relay: { udp: false, tcp: false, tls: false }, offered: ALL, complete: true }

  it('TURN reached: anyone', () => {
    expect(networkVerdict({ ...base, relay: { udp: false, tcp: true, tls: false } })).toMatch(/reach anyone/)
  })

  it('STUN only: most home networks; says whether TURN is missing or unreachable', () => {
    expect(networkVerdict({ ...base, srflx: true, offered: offeredBy(['stun:s.example']) })).toMatch(/does not offer/)
    expect(networkVerdict({ ...base, srflx: true })).toMatch(/could not be reached/)
  })

  it('nothing beyond the LAN: says why', () => {
    expect(networkVerdict({ ...base, offered: offeredBy([]) })).toMatch(/offers no STUN or TURN/)
    expect(networkVerdict(base)).toMatch(/did not answer/)
  })

  it('lists every item with a reason when it failed, and only the TURN transports offered', () => {
    const items = networkItems({ ...base, srflx: true, publicAddress: '192.0.2.7', relay: { udp: true, tcp: false, tls: false }, offered: ALL })
    expect(items.map(i => [i.key, i.ok])).toEqual([['host', true], ['srflx', true], ['turn-udp', true], ['turn-tcp', false]])
    expect(items[1]?.detail).toBe('192.0.2.7')
    expect(items[3]?.detail).toMatch(/not reached/)
    expect(networkItems({ ...base, offered: offeredBy(['stun:s.example']) }).map(i => [i.key, i.detail])).toEqual([
      ['host', undefined], ['srflx', 'no answer'], ['turn', 'not offered by the relay']
    ])
  })

  it('knows which TURN transports a list of URLs offers', () => {
    expect(offeredBy(['stun:s', 'turn:t:3478?transport=udp', 'turn:t:3478?transport=tcp', 'turns:t:5349?transport=tcp'])).toEqual({
      stun: true, turn: true, turnTransports: { udp: true, tcp: true, tls: true }
    })
    expect(offeredBy(['turn:t']).turnTransports).toEqual({ udp: true, tcp: false, tls: false })
  })
})

describe('checkNetwork', () => {
  it('needs WebRTC: outside a browser it says so with a typed error', async () => {
    await expect(checkNetwork({ iceServers: [] })).rejects.toHaveProperty('name', 'UnsupportedEnvironmentError')
  })
})

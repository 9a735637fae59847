import { describe, expect, it } from 'vitest'
import { checkNetwork, summarizeCandidates } from '../../app/core/network/ice-check.ts'
import { networkItems, networkVerdict } from '../../app/ui/network-text.ts'

const ALL = { stun: true, turn: true }

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
    expect(summarizeCandidates([], { stun: false, turn: false }, false)).toMatchObject({ host: false, srflx: false, relay: { udp: false, tcp: false, tls: false }, complete: false })
  })
})

describe('network check in words', () => {
  const base = { host: true, srflx: false, relay: { udp: false, tcp: false, tls: false }, offered: ALL, complete: true }

  it('TURN reached: anyone', () => {
    expect(networkVerdict({ ...base, relay: { udp: false, tcp: true, tls: false } })).toMatch(/reach anyone/)
  })

  it('STUN only: most home networks; says whether TURN is missing or unreachable', () => {
    expect(networkVerdict({ ...base, srflx: true, offered: { stun: true, turn: false } })).toMatch(/does not offer/)
    expect(networkVerdict({ ...base, srflx: true })).toMatch(/could not be reached/)
  })

  it('nothing beyond the LAN: says why', () => {
    expect(networkVerdict({ ...base, offered: { stun: false, turn: false } })).toMatch(/offers no STUN or TURN/)
    expect(networkVerdict(base)).toMatch(/did not answer/)
  })

  it('lists every item with a reason when it failed', () => {
    const items = networkItems({ ...base, srflx: true, publicAddress: '192.0.2.7', relay: { udp: true, tcp: false, tls: false }, offered: ALL })
    expect(items.map(i => [i.key, i.ok])).toEqual([['host', true], ['srflx', true], ['turn-udp', true], ['turn-tcp', false], ['turn-tls', false]])
    expect(items[1]?.detail).toBe('192.0.2.7')
    expect(items[3]?.detail).toMatch(/not reached/)
  })
})

describe('checkNetwork', () => {
  it('needs WebRTC: outside a browser it says so with a typed error', async () => {
    await expect(checkNetwork({ iceServers: [] })).rejects.toHaveProperty('name', 'UnsupportedEnvironmentError')
  })
})

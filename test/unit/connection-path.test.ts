import { describe, expect, it } from 'vitest'
import { pathFromStats } from '../../app/core/network/connection-path.ts'
import { pathsText, pathText } from '../../app/ui/path-text.ts'

/** Stats shaped as Chromium's getStats() reports them (only the fields we read, plus some noise). */
function report (local: Record<string, unknown>, remote: Record<string, unknown>, options: { viaTransport?: boolean } = {}): Array<Record<string, unknown>> {
  const entries: Array<Record<string, unknown>> = [
    { id: 'L1', type: 'local-candidate', candidateType: 'host', protocol: 'udp', address: '10.1.0.11' },
    { id: 'R1', type: 'remote-candidate', candidateType: 'host', protocol: 'udp', address: '10.2.0.11' },
    { id: 'P1', type: 'candidate-pair', localCandidateId: 'L1', remoteCandidateId: 'R1', state: 'failed', nominated: false },
    { id: 'L2', type: 'local-candidate', ...local },
    { id: 'R2', type: 'remote-candidate', ...remote },
    { id: 'P2', type: 'candidate-pair', localCandidateId: 'L2', remoteCandidateId: 'R2', state: 'succeeded', nominated: true },
    { id: 'D1', type: 'data-channel', label: 'init' }
  ]
  if (options.viaTransport !== false) entries.push({ id: 'T1', type: 'transport', selectedCandidatePairId: 'P2' })
  return entries
}

describe('pathFromStats', () => {
  it('host on both ends: direct', () => {
    expect(pathFromStats(report({ candidateType: 'host', protocol: 'udp' }, { candidateType: 'host' }) as never))
      .toEqual({ route: 'direct', local: 'host', remote: 'host', protocol: 'udp' })
  })

  it('server/peer reflexive: direct through NAT', () => {
    expect(pathFromStats(report({ candidateType: 'srflx', protocol: 'udp' }, { candidateType: 'prflx' }) as never))
      .toMatchObject({ route: 'direct', local: 'srflx', remote: 'prflx' })
  })

  it('a relay candidate on either end: TURN, with how the TURN server is reached', () => {
    expect(pathFromStats(report({ candidateType: 'relay', protocol: 'udp', relayProtocol: 'tcp' }, { candidateType: 'srflx' }) as never))
      .toEqual({ route: 'turn', local: 'relay', remote: 'srflx', protocol: 'udp', relayProtocol: 'tcp' })
    expect(pathFromStats(report({ candidateType: 'prflx', protocol: 'udp' }, { candidateType: 'relay' }) as never))
      .toMatchObject({ route: 'turn', local: 'prflx', remote: 'relay' })
  })

  it('falls back to the nominated, succeeded pair where no transport names one', () => {
    expect(pathFromStats(report({ candidateType: 'srflx' }, { candidateType: 'srflx' }, { viaTransport: false }) as never))
      .toMatchObject({ route: 'direct', local: 'srflx' })
  })

  it('says nothing before ICE has chosen, or for unknown candidate types', () => {
    expect(pathFromStats([{ id: 'T1', type: 'transport' }] as never)).toBeUndefined()
    expect(pathFromStats(report({ candidateType: 'weird' }, { candidateType: 'host' }) as never)).toBeUndefined()
  })
})

describe('pathText', () => {
  const base = { peer: 'p', protocol: 'udp' }
  it.each([
    [{ ...base, route: 'direct', local: 'host', remote: 'host' }, 'direct, browser to browser'],
    [{ ...base, route: 'direct', local: 'srflx', remote: 'prflx' }, 'direct, browser to browser'],
    [{ ...base, protocol: 'tcp', route: 'direct', local: 'host', remote: 'host' }, 'direct, browser to browser (TCP)'],
    [{ ...base, route: 'turn', local: 'relay', remote: 'srflx', relayProtocol: 'udp' }, 'via TURN server (UDP)'],
    [{ ...base, route: 'turn', local: 'relay', remote: 'srflx', relayProtocol: 'tcp' }, 'via TURN server (TCP)'],
    [{ ...base, route: 'turn', local: 'srflx', remote: 'relay' }, 'via TURN server']
  ] as const)('%j → %s', (path, text) => {
    expect(pathText(path)).toBe(text)
  })

  it('summarises several peers', () => {
    const direct = { ...base, route: 'direct', local: 'host', remote: 'host' } as const
    const turn = { ...base, route: 'turn', local: 'relay', remote: 'host', relayProtocol: 'udp' } as const
    expect(pathsText([])).toBe('')
    expect(pathsText([direct, direct, turn])).toBe('2 direct, 1 via TURN server')
  })
})

import { describe, expect, it } from 'vitest'
import { failed, passed, skipped, type CheckResult } from '../../relay/doctor/check-result.ts'
import { DOCTOR_HELP, parseDoctorArgs } from '../../relay/doctor/doctor-command.ts'
import { NoAnswerError } from '../../relay/doctor/errors.ts'
import { parseIceUrl } from '../../relay/doctor/ice-url.ts'
import { formatResult, formatSummary } from '../../relay/doctor/report.ts'
import { isLoopbackHost } from '../../relay/doctor/secure-context.ts'
import { TurnCredentialsRejectedError } from '../../relay/doctor/turn-errors.ts'
import { CLI_HELP } from '../../relay/cli.ts'

describe('doctor output', () => {
  it('prints one line per check, facts and the fix indented under it', () => {
    expect(formatResult(passed('bootstrap', 'http://x/bootstrap.json: relay 12D3', { details: ['address /ip4/1.2.3.4/tcp/443/tls/ws'] }))).toEqual([
      '✓ bootstrap   http://x/bootstrap.json: relay 12D3',
      '              address /ip4/1.2.3.4/tcp/443/tls/ws'
    ])
    const failure = failed('TURN', 'turn:t.example:3478?transport=udp', new TurnCredentialsRejectedError())
    const lines = formatResult(failure)
    expect(lines[0]).toBe('✗ TURN        turn:t.example:3478?transport=udp')
    expect(lines[1]).toMatch(/^ {14}fix: coturn refused the credentials .*--turn-secret does not match coturn's static-auth-secret/)
    expect(formatResult(skipped('TURN', 'turns:x?transport=udp: not checked'))[0]).toBe('- TURN        turns:x?transport=udp: not checked')
  })

  it('names the port and the transport when nothing answers', () => {
    const result = failed('TURN', 'turn:t.example:3478?transport=tcp', new NoAnswerError({ transport: 'tcp', host: 't.example', port: 3478 }, 5000))
    expect(result.fix).toBe('No answer within 5 s: TCP port 3478 of t.example is blocked by a firewall or nothing listens there. ' +
      'Open it (e.g. ufw allow 3478/tcp), check that the server runs and listens on that port, and that the URL names the host it runs on.')
  })

  it('calls an error without advice unexpected rather than passing it off as a fix', () => {
    expect(failed('libp2p', 'x', new TypeError('boom')).fix).toBe('Unexpected error: boom')
    expect(failed('libp2p', 'x', 'a string').fix).toBe('Unexpected error: a string')
  })

  it('sums up which networks are served, from host candidates to TLS-only', () => {
    const results: CheckResult[] = [
      passed('reservation', 'ok', { capability: 'relay' }),
      passed('STUN', 'ok', { capability: 'stun' }),
      passed('TURN', 'ok', { capability: 'turn-udp' }),
      failed('TURN', 'tcp', new Error('x'), { capability: 'turn-tcp' })
    ]
    expect(formatSummary(results, 'turn.example.com')).toEqual([
      '',
      'Browsers this deploy connects:',
      '  ✓ on the same network, or with public addresses (direct WebRTC, host candidates)',
      '  ✓ behind most home NATs (STUN)',
      '  ✓ behind symmetric and carrier-grade NATs (TURN over UDP)',
      '  ✗ on networks that block UDP (TURN over TCP): fix the lines above',
      '  - on networks that allow only TLS (TURNS): not configured; add --turn turns:turn.example.com:5349?transport=tcp (coturn needs a certificate)',
      '',
      '1 of 4 checks failed.'
    ])
  })

  it('counts STUN as served by a TURN server over UDP, and nothing as served without the relay', () => {
    const viaTurn = formatSummary([passed('reservation', 'ok', { capability: 'relay' }), passed('TURN', 'ok', { capability: 'turn-udp' })])
    expect(viaTurn).toContain('  ✓ behind most home NATs (STUN)')
    expect(viaTurn.at(-1)).toBe('All 2 checks passed.')
    const noRelay = formatSummary([failed('reservation', 'x', new Error('x'), { capability: 'relay' }), passed('TURN', 'ok', { capability: 'turn-udp' })])
    expect(noRelay).toContain('  ✗ none: browsers cannot use the relay, so they cannot find each other (fix the lines above)')
    expect(noRelay.join('\n')).not.toMatch(/TURN over UDP/)
  })
})

describe('doctor arguments and help', () => {
  it('takes the relay URL, assuming https and keeping the origin only', () => {
    expect(parseDoctorArgs(['https://chiral.example.com/'])).toEqual({ help: false, page: new URL('https://chiral.example.com') })
    expect(parseDoctorArgs(['chiral.example.com'])).toEqual({ help: false, page: new URL('https://chiral.example.com') })
    expect(parseDoctorArgs(['http://127.0.0.1:8080/bootstrap.json'])).toEqual({ help: false, page: new URL('http://127.0.0.1:8080') })
    expect(parseDoctorArgs(['--help'])).toEqual({ help: true })
  })

  it('refuses anything else with a UsageError (exit code 2)', () => {
    for (const argv of [[], ['a', 'b'], ['ws://x.example'], ['--verbose', 'x.example'], ['https://exa mple.com']]) {
      let error: unknown
      try {
        parseDoctorArgs(argv)
      } catch (err) {
        error = err
      }
      expect(error, argv.join(' ')).toMatchObject({ name: 'UsageError', exitCode: 2 })
    }
  })

  it('is documented in chiral --help and chiral doctor --help', () => {
    expect(CLI_HELP).toMatch(/doctor <url>/)
    for (const check of ['TLS', 'bootstrap', 'libp2p', 'reservation', 'STUN', 'TURN']) expect(DOCTOR_HELP).toContain(`  ${check} `)
  })
})

describe('secure context', () => {
  it('is granted to http:// on loopback only, never on a LAN address', () => {
    for (const host of ['localhost', 'app.localhost', '127.0.0.1', '127.9.8.7', '[::1]']) expect(isLoopbackHost(host), host).toBe(true)
    for (const host of ['192.168.1.5', '10.0.0.1', 'chiral.example.com', '::ffff:127.0.0.1x']) expect(isLoopbackHost(host), host).toBe(false)
  })
})

describe('ICE URLs as the doctor dials them', () => {
  it('applies the RFC 7064/7065 defaults', () => {
    expect(parseIceUrl('stun:stun.example.com')).toMatchObject({ kind: 'stun', transport: 'udp', host: 'stun.example.com', port: 3478 })
    expect(parseIceUrl('turn:t.example:3479')).toMatchObject({ kind: 'turn', transport: 'udp', port: 3479 })
    expect(parseIceUrl('turn:t.example?transport=tcp')).toMatchObject({ transport: 'tcp', port: 3478 })
    expect(parseIceUrl('turns:t.example')).toMatchObject({ transport: 'tls', port: 5349 })
    expect(parseIceUrl('turns:t.example:443?transport=udp')).toMatchObject({ transport: 'dtls', port: 443 })
    expect(parseIceUrl('turn:[2001:db8::1]:3478')).toMatchObject({ host: '2001:db8::1' })
  })

  it('refuses what is not an ICE URL', () => {
    for (const url of ['http://x', 'turn:', 'turn:x:0', 'turn:x:70000', 'stun:x?transport=tls']) expect(parseIceUrl(url), url).toBeUndefined()
  })
})

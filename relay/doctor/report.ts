import type { Capability, CheckResult } from './check-result.ts'

/** What the operator reads: one line per check, indented facts and fixes, then what the deploy serves. */

const MARK: Record<CheckResult['status'], string> = { pass: '✓', fail: '✗', skip: '-' }
/** Wide enough for "reservation", the longest check name. */
const NAME_WIDTH = 11
const INDENT = ' '.repeat(NAME_WIDTH + 3)

export function formatResult (result: CheckResult): string[] {
  const lines = [`${MARK[result.status]} ${result.check.padEnd(NAME_WIDTH)} ${result.summary}`]
  for (const detail of result.details ?? []) lines.push(`${INDENT}${detail}`)
  if (result.fix != null) lines.push(`${INDENT}fix: ${result.fix}`)
  return lines
}

type Level = 'pass' | 'fail' | 'absent'

/** Pass when any check of that capability passed, fail when all that ran failed, absent when none ran. */
function levelOf (results: readonly CheckResult[], capability: Capability): Level {
  const ran = results.filter(r => r.capability === capability && r.status !== 'skip')
  if (ran.length === 0) return 'absent'
  return ran.some(r => r.status === 'pass') ? 'pass' : 'fail'
}

/**
 * Which browsers can connect to each other through this deploy, from the
 * easiest network to the strictest; each level needs the relay to work at all.
 * `turnHost` names the TURN server in the suggestions for missing levels.
 */
export function formatSummary (results: readonly CheckResult[], turnHost = '<host>'): string[] {
  const failures = results.filter(r => r.status === 'fail').length
  const lines = ['', 'Browsers this deploy connects:']
  if (levelOf(results, 'relay') !== 'pass') {
    lines.push('  ✗ none: browsers cannot use the relay, so they cannot find each other (fix the lines above)')
  } else {
    const stun = levelOf(results, 'stun')
    const turnUdp = levelOf(results, 'turn-udp')
    const line = (level: Level, what: string, absent: string): string =>
      level === 'pass' ? `  ✓ ${what}` : level === 'fail' ? `  ✗ ${what}: fix the lines above` : `  - ${what}: ${absent}`
    lines.push('  ✓ on the same network, or with public addresses (direct WebRTC, host candidates)')
    // browsers also learn their public address from a TURN server over UDP
    lines.push(line(stun === 'pass' || turnUdp === 'pass' ? 'pass' : stun, 'behind most home NATs (STUN)', `not configured; add --stun stun:${turnHost}:3478`))
    lines.push(line(turnUdp, 'behind symmetric and carrier-grade NATs (TURN over UDP)', `not configured; add --turn turn:${turnHost}:3478?transport=udp and --turn-secret`))
    lines.push(line(levelOf(results, 'turn-tcp'), 'on networks that block UDP (TURN over TCP)', `not configured; add --turn turn:${turnHost}:3478?transport=tcp`))
    lines.push(line(levelOf(results, 'turn-tls'), 'on networks that allow only TLS (TURNS)', `not configured; add --turn turns:${turnHost}:5349?transport=tcp (coturn needs a certificate)`))
  }
  lines.push('', failures === 0 ? `All ${results.length} checks passed.` : `${failures} of ${results.length} checks failed.`)
  return lines
}

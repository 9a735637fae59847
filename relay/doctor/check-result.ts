/** What one check found: the line the operator reads, and for a failure what to fix. */

/** Which kind of browser network a passing check makes work (for the summary). */
export type Capability = 'relay' | 'stun' | 'turn-udp' | 'turn-tcp' | 'turn-tls'

export interface CheckResult {
  status: 'pass' | 'fail' | 'skip'
  /** Short name: "TLS", "bootstrap", "libp2p", "reservation", "STUN", "TURN". */
  check: string
  /** What was checked and what was seen, on one line. */
  summary: string
  /** Facts worth a line of their own (addresses). */
  details?: string[]
  /** For a failure: the sentence saying what to fix. */
  fix?: string
  capability?: Capability
}

export function passed (check: string, summary: string, more: Pick<CheckResult, 'details' | 'capability'> = {}): CheckResult {
  return { status: 'pass', check, summary, ...more }
}

export function skipped (check: string, summary: string, more: Pick<CheckResult, 'capability'> = {}): CheckResult {
  return { status: 'skip', check, summary, ...more }
}

/** Errors with these names carry no advice: they are bugs or surprises, and say so. */
const GENERIC_ERRORS = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError'])

/** A failure; the doctor's own errors already say what to fix, anything else is shown as unexpected. */
export function failed (check: string, summary: string, err: unknown, more: Pick<CheckResult, 'details' | 'capability'> = {}): CheckResult {
  const error = err instanceof Error ? err : new Error(String(err))
  const fix = error.name === 'AbortError' || error.name === 'TimeoutError'
    ? 'Interrupted before it finished.'
    : GENERIC_ERRORS.has(error.name) ? `Unexpected error: ${error.message}` : error.message
  return { status: 'fail', check, summary, fix, ...more }
}

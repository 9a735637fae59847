/**
 * An AbortSignal that aborts with `reason()` after `ms`. Built on setTimeout,
 * unlike AbortSignal.timeout, so a test's fake clock drives it; `clear` when
 * the guarded wait is over.
 */
export function timerSignal (ms: number, reason: () => Error): { signal: AbortSignal, clear(): void } {
  const controller = new AbortController()
  const timer = setTimeout(() => { controller.abort(reason()) }, ms)
  return { signal: controller.signal, clear: () => { clearTimeout(timer) } }
}

/**
 * User-timing marks along the way to 'ready' (`chiral:<step>`, 0 = navigation
 * start in a page): DevTools' performance panel and `node bench/ready-breakdown.ts`
 * show where start-up time goes. Each step is marked once per page; a no-op
 * where `performance.mark` is missing.
 */
export type StartStep =
  | 'boot' | 'core-loaded' | 'bootstrap' | 'store-open' | 'identity' | 'libp2p-started'
  | 'relay-dial' | 'relay-connection' | 'relay-identified' | 'relay-connected' | 'ready'

const marked = new Set<StartStep>()

export function markStart (step: StartStep): void {
  if (marked.has(step)) return
  marked.add(step)
  globalThis.performance?.mark?.(`chiral:${step}`)
}

import type { CDPSession, Page } from '@playwright/test'

/**
 * A Chrome trace of one page (devtools.timeline and toplevel categories) over
 * a transfer, to see what a main thread does that a CPU profile only shows as
 * "(program)": message delivery, IndexedDB, style, layout, paint, GC.
 */
export class PageTrace {
  private session?: CDPSession
  private readonly events: TraceEvent[] = []

  static async start (page: Page): Promise<PageTrace> {
    const t = new PageTrace()
    t.session = await page.context().newCDPSession(page)
    t.session.on('Tracing.dataCollected', ({ value }) => { t.events.push(...(value as unknown as TraceEvent[])) })
    await t.session.send('Tracing.start', {
      transferMode: 'ReportEvents',
      traceConfig: { includedCategories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink', 'IndexedDB', 'webrtc'] }
    })
    return t
  }

  async stop (): Promise<TraceEvent[]> {
    const done = new Promise<void>(resolve => { this.session!.once('Tracing.tracingComplete', () => { resolve() }) })
    await this.session!.send('Tracing.end')
    await done
    await this.session!.detach().catch(() => {})
    return this.events
  }
}

export interface TraceEvent { name: string, ph: string, ts: number, dur?: number, tdur?: number, pid: number, tid: number, cat: string, args?: Record<string, unknown> }

/** Main-thread self time of the page's renderer by event name (time not inside a child event), ms per MB. */
export function mainThreadBreakdown (events: TraceEvent[], mb: number): Array<[string, number]> {
  const main = events.find(e => e.name === 'thread_name' && (e.args as { name?: string } | undefined)?.name === 'CrRendererMain')
  if (main == null) return []
  const onMain = events.filter(e => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur != null).sort((a, b) => a.ts - b.ts || (b.dur! - a.dur!))
  const self = new Map<string, number>()
  const stack: Array<{ e: TraceEvent, child: number }> = []
  let taskUs = 0
  const close = (): void => {
    const top = stack.pop()!
    self.set(top.e.name, (self.get(top.e.name) ?? 0) + top.e.dur! - top.child)
  }
  for (const e of onMain) {
    while (stack.length > 0 && stack[stack.length - 1]!.e.ts + stack[stack.length - 1]!.e.dur! <= e.ts) close()
    if (stack.length === 0) taskUs += e.dur!
    else stack[stack.length - 1]!.child += e.dur!
    stack.push({ e, child: 0 })
  }
  while (stack.length > 0) close()
  self.set('(all tasks)', taskUs)
  return [...self].map(([name, us]): [string, number] => [name, us / 1000 / mb]).sort((a, b) => b[1] - a[1])
}

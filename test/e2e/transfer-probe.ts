import type { Page } from '@playwright/test'

/**
 * Watches a page's downloads through the core API (peer.transfers), not the
 * UI: progress marks with the page's own clock, so a test can measure stalls
 * and act at a given point of a transfer without polling from outside.
 */
export interface ProgressMark {
  at: number
  bytes: number
  totalBytes?: number
  sources: Array<{ peer: string, blocks: number }>
}

interface ProbeState {
  marks: Record<string, ProgressMark[]>
}

declare global {
  // eslint-disable-next-line no-var
  var chiralProbe: ProbeState | undefined
}

/** Start recording every transfer's progress on this page (call before the download starts). */
export async function recordTransfers (page: Page): Promise<void> {
  await page.evaluate(() => {
    const state: ProbeState = { marks: {} }
    globalThis.chiralProbe = state
    const transfers = globalThis.chiral!.peer.transfers
    const watch = (transfer: { cid: string, addEventListener: (type: 'progress', listener: (event: CustomEvent) => void) => void }): void => {
      const marks = state.marks[transfer.cid] ??= []
      transfer.addEventListener('progress', event => {
        const p = event.detail as { bytes: number, totalBytes?: number, sources?: Array<{ peer: string, blocks: number }> }
        marks.push({ at: performance.now(), bytes: p.bytes, totalBytes: p.totalBytes, sources: (p.sources ?? []).map(s => ({ peer: s.peer, blocks: s.blocks })) })
      })
    }
    for (const transfer of transfers.list()) watch(transfer)
    transfers.addEventListener('added', event => { watch(event.detail) })
  })
}

/** Resolves (with the page's clock) once the page has stored more than `bytes` of `cid`. */
export async function whenStored (page: Page, cid: string, bytes: number): Promise<number> {
  return page.evaluate(async ({ cid, bytes }) => new Promise<number>(resolve => {
    const check = (): boolean => {
      const last = globalThis.chiralProbe?.marks[cid]?.at(-1)
      if (last == null || last.bytes <= bytes) return false
      resolve(last.at)
      return true
    }
    if (check()) return
    const timer = setInterval(() => { if (check()) clearInterval(timer) }, 20)
  }), { cid, bytes })
}

export async function marksOf (page: Page, cid: string): Promise<ProgressMark[]> {
  return page.evaluate(cid => globalThis.chiralProbe?.marks[cid] ?? [], cid)
}

/** The longest gap between marks that added bytes, from `from` (page clock) to the last mark. */
export function longestStall (marks: Array<{ at: number, bytes: number }>, from: number): number {
  let longest = 0
  let previous = from
  let bytes = -1
  for (const { at, bytes: stored } of marks) {
    if (at < from || stored <= bytes) { bytes = Math.max(bytes, stored); continue }
    longest = Math.max(longest, at - previous)
    previous = at
    bytes = stored
  }
  return longest
}

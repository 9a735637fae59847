import type { Page } from '@playwright/test'
import type { DownloadProgress, Transfer } from '../app/core/types.ts'

/**
 * One download's milestones on the page's own clock (performance.now()), taken
 * from the public Peer API: `peer.transfers` 'added', then the transfer's
 * 'progress' events. Exact, unlike the UI's aria-valuenow (re-rendered at most
 * every 100 ms): the core reports the first bytes the moment a verified data
 * block is delivered (transfer-run.ts never holds the first bytes back).
 */
export interface FirstBlockMarks {
  /** The transfer was added (Download pressed, CID parsed, own-library check done). */
  added?: number
  /** First progress in each phase ('finding', 'connecting', 'transferring', ...). */
  phases: Record<string, number>
  /** First progress with bytes > 0: a verified data block delivered (its write to IndexedDB is under way). */
  firstBytes?: number
  /** Phase 'done'. */
  done?: number
}

declare global {
  // eslint-disable-next-line no-var
  var benchFirstBlock: Record<string, FirstBlockMarks> | undefined
}

/** Start watching for `cid`'s download in this page (call before pressing Download). */
export async function armFirstBlock (page: Page, cid: string): Promise<void> {
  await page.evaluate(cid => {
    const transfers = globalThis.chiral!.peer.transfers
    const all = globalThis.benchFirstBlock ??= {}
    const marks: FirstBlockMarks = { phases: {} }
    all[cid] = marks
    const watch = (transfer: Transfer): void => {
      marks.added ??= performance.now()
      transfer.addEventListener('progress', (event: CustomEvent<DownloadProgress>) => {
        const now = performance.now()
        const p = event.detail
        marks.phases[p.phase] ??= now
        if (p.bytes > 0) marks.firstBytes ??= now
        if (p.phase === 'done') marks.done ??= now
      })
    }
    const onAdded = (event: CustomEvent<Transfer>): void => {
      if (event.detail.cid !== cid) return
      transfers.removeEventListener('added', onAdded)
      watch(event.detail)
    }
    transfers.addEventListener('added', onAdded)
  }, cid)
}

export async function readFirstBlock (page: Page, cid: string): Promise<FirstBlockMarks | undefined> {
  return page.evaluate(cid => globalThis.benchFirstBlock?.[cid], cid)
}

/** Resolves once `cid`'s download reported its first bytes (polls the page's marks). */
export async function waitForFirstBlock (page: Page, cid: string, timeoutMs: number): Promise<FirstBlockMarks> {
  await page.waitForFunction(cid => globalThis.benchFirstBlock?.[cid]?.firstBytes != null, cid, { timeout: timeoutMs, polling: 20 })
  return (await readFirstBlock(page, cid))!
}

/** Resolves once `cid`'s download is done. */
export async function waitForDone (page: Page, cid: string, timeoutMs: number): Promise<FirstBlockMarks> {
  await page.waitForFunction(cid => globalThis.benchFirstBlock?.[cid]?.done != null, cid, { timeout: timeoutMs, polling: 50 })
  return (await readFirstBlock(page, cid))!
}

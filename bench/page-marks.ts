import type { Page } from '@playwright/test'

/**
 * Times of the app's visible milestones, taken inside the page on its own clock
 * (performance.now(), 0 = navigation start) by an init script that runs before the
 * app: the first time each thing becomes true. Only public behaviour is observed:
 * data-testids, their text and ARIA values, and the user's own input events.
 */
export interface PageMarks {
  /** peer-status first contains 'ready' (relay reservation held). */
  ready?: number
  /** The user's file landed in file-input ('change'). */
  fileChosen?: number
  /** share-state says it is announcing (import, DAG and IndexedDB done), or the share CID shows. */
  imported?: number
  /** share-cid shows a CID. */
  shared?: number
  /** download-button pressed. */
  downloadPressed?: number
  /** transfer-progress aria-valuenow first > 0: a verified block's bytes are stored. */
  firstBytes?: number
  /** transfer-state ends in 'complete'. */
  complete?: number
}

declare global {
  // eslint-disable-next-line no-var
  var benchMarks: PageMarks | undefined
  // eslint-disable-next-line no-var
  var benchWaiters: Array<() => void> | undefined
}

export async function installMarks (page: Page): Promise<void> {
  await page.addInitScript(() => {
    const marks: PageMarks = {}
    globalThis.benchMarks = marks
    globalThis.benchWaiters = []
    const byId = (id: string): Element | null => document.querySelector(`[data-testid="${id}"]`)
    const check = (): void => {
      const now = performance.now()
      if (marks.ready == null && (byId('peer-status')?.textContent ?? '').includes('ready')) marks.ready = now
      const cid = (byId('share-cid')?.textContent ?? '').trim()
      if (marks.fileChosen != null) {
        if (marks.shared == null && /^baf[a-z2-7]+$/.test(cid)) marks.shared = now
        if (marks.imported == null && ((byId('share-state')?.textContent ?? '').includes('Announcing') || marks.shared != null)) marks.imported = now
      }
      if (marks.downloadPressed != null) {
        if (marks.firstBytes == null && Number(byId('transfer-progress')?.getAttribute('aria-valuenow') ?? 0) > 0) marks.firstBytes = now
        if (marks.complete == null && /complete\s*$/.test(byId('transfer-state')?.textContent ?? '')) marks.complete = now
      }
      const waiters = globalThis.benchWaiters ?? []
      globalThis.benchWaiters = []
      for (const wake of waiters) wake()
    }
    document.addEventListener('change', event => {
      if ((event.target as Element | null)?.getAttribute?.('data-testid') === 'file-input') marks.fileChosen ??= performance.now()
    }, true)
    document.addEventListener('click', event => {
      if ((event.target as Element | null)?.closest?.('[data-testid="download-button"]') != null) marks.downloadPressed = performance.now()
    }, true)
    document.addEventListener('submit', () => { marks.downloadPressed ??= performance.now() }, true)
    new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['aria-valuenow'] })
  })
}

export async function readMarks (page: Page): Promise<PageMarks> {
  return page.evaluate(() => ({ ...globalThis.benchMarks }))
}

/** Resolves (in the page, without polling) once the mark is set; its page time. */
export async function waitForMark (page: Page, mark: keyof PageMarks, timeoutMs: number): Promise<number> {
  const waiting = page.evaluate(async ({ name, timeout }) => {
    const deadline = performance.now() + timeout
    while (globalThis.benchMarks?.[name] == null) {
      if (performance.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${name}`)
      await new Promise<void>(resolve => {
        globalThis.benchWaiters!.push(resolve)
        setTimeout(resolve, 1_000) // re-check the deadline now and then
      })
    }
    return globalThis.benchMarks[name]
  }, { name: mark, timeout: timeoutMs })
  return waiting
}

import { AxeBuilder } from '@axe-core/playwright'
import axe from 'axe-core'
import { cpSync, mkdirSync, renameSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { ChiralPage } from './chiral-page.ts'
import { expect, test } from './fixtures.ts'
import { startRelay } from './relay-process.ts'
import { buildApp, buildIds, controlled } from './sw-probe.ts'

/** axe with its experimental rules on, in both colour schemes: the prompt must not add a violation. */
async function axeViolations (page: Page): Promise<string[]> {
  const rules = Object.fromEntries(axe.getRules(['experimental']).map(rule => [rule.ruleId, { enabled: true }]))
  const found: string[] = []
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' })
    const results = await new AxeBuilder({ page }).options({ rules }).analyze()
    found.push(...results.violations.flatMap(v => v.nodes.map(n => `${colorScheme}: ${v.id} at ${n.target.join(' ')}`)))
  }
  return found
}

test('update: a version deployed while the page is open is offered, "Update now" reloads once into it, and it opens offline', async ({ browser, scratch }) => {
  // the relay serves <site>/dist, a symlink: a deployment swaps it for another build
  const site = join(scratch, 'site')
  mkdirSync(site)
  const v1 = join(scratch, 'v1')
  cpSync('dist', v1, { recursive: true })
  symlinkSync(v1, join(site, 'dist'))
  let relay = await startRelay({ root: site })
  try {
    const context = await browser.newContext()
    // counts documents loaded in this tab, across reloads
    await context.addInitScript(() => { sessionStorage.setItem('loads', String(Number(sessionStorage.getItem('loads') ?? '0') + 1)) })
    const page = new ChiralPage(await context.newPage())
    await page.open(relay.url)
    await controlled(page.page)
    const before = await buildIds(page.page)
    expect(before.page).toBe(before.worker)
    await expect(page.page.getByTestId('update-prompt')).toHaveCount(0)

    const v2 = join(scratch, 'v2')
    const v2Id = `e2e-update-${Date.now()}`
    await buildApp(v2, v2Id)
    const next = join(site, 'dist.next')
    symlinkSync(v2, next)
    renameSync(next, join(site, 'dist'))

    // what the page does every hour, and the browser on navigations
    await page.page.evaluate(async () => { await (await navigator.serviceWorker.getRegistration())!.update() })
    await expect(page.page.getByTestId('update-prompt')).toBeVisible()
    // waiting, not taken over: the page is still the old build under the old worker
    expect(await buildIds(page.page)).toEqual(before)
    await expect(page.page.getByRole('status').getByRole('button', { name: 'Update now' })).toBeVisible()
    expect(await axeViolations(page.page)).toEqual([])

    const reloaded = page.page.waitForEvent('load')
    await page.page.getByTestId('update-now').click()
    await reloaded
    await controlled(page.page)
    expect(await buildIds(page.page)).toEqual({ page: v2Id, worker: v2Id })
    expect(await page.page.evaluate(() => sessionStorage.getItem('loads'))).toBe('2')
    await expect(page.page.getByTestId('update-prompt')).toHaveCount(0)

    // the new worker precached the new shell: the page opens with the relay gone
    const port = Number(new URL(relay.url).port)
    await relay.stop()
    await page.page.reload()
    await expect(page.page.getByTestId('peer-status')).toContainText('Relay unreachable', { timeout: 15_000 })
    expect(await buildIds(page.page)).toEqual({ page: v2Id, worker: v2Id })
    relay = await startRelay({ root: site, port })
    await page.ready()
  } finally {
    await relay.stop()
  }
})

/**
 * Where page load → 'ready' (relay reservation held) goes: opens the built app
 * in fresh Chromium processes against a real relay and prints, per step, the
 * median page time (0 = navigation start) of the `chiral:*` user-timing marks
 * (app/core/util/start-marks.ts), the scripts' downloads and the first paint.
 * A first visit (new profile: identity generated, no service worker) and a reload
 * (identity stored, worker in control) each. Given other checkouts' roots (each
 * built), it serves each through its own relay and alternates between them load
 * by load, so builds are compared under the same machine noise.
 *
 *   npm run build && flock /tmp/chiral-e2e.lock node_modules/.bin/node bench/ready-breakdown.ts [--samples N] [root ...]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { Page } from '@playwright/test'
import { startRelay } from '../test/e2e/relay-process.ts'
import { launchBrowser } from './browsers.ts'
import { installMarks, waitForMark } from './page-marks.ts'
import { stat } from './stats.ts'

const { values, positionals } = parseArgs({ options: { samples: { type: 'string', default: '5' } }, allowPositionals: true })
const samples = Number(values.samples)
const roots: Array<string | undefined> = positionals.length > 0 ? positionals : [undefined]
const READY_TIMEOUT_MS = 30_000

/** Page times of one load: step name → ms since navigation start. */
async function timeline (page: Page): Promise<Record<string, number>> {
  const ready = await waitForMark(page, 'ready', READY_TIMEOUT_MS)
  const entries = await page.evaluate(() => {
    const out: Record<string, number> = {}
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined
    if (nav != null) {
      out['html received'] = nav.responseEnd
      out['DOMContentLoaded'] = nav.domContentLoadedEventEnd
    }
    for (const r of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
      const name = new URL(r.name).pathname
      if (/\/assets\/.*\.(js|css)$/.test(name)) out[`got ${name.replace(/-[\w-]{8}\./, '.')}`] = r.responseEnd
      if (name === '/bootstrap.json') out['bootstrap.json received'] ??= r.responseEnd
    }
    for (const p of performance.getEntriesByType('paint')) out[p.name] = p.startTime
    for (const m of performance.getEntriesByType('mark')) if (m.name.startsWith('chiral:')) out[m.name] = m.startTime
    return out
  })
  return { ...entries, 'ready (peer-status)': ready }
}

type Load = 'first visit' | 'reload'
const scratch = mkdtempSync(join(tmpdir(), 'chiral-ready-'))
const relays = await Promise.all(roots.map(async root => startRelay(root == null ? {} : { root })))
const runs = roots.map(() => ({ 'first visit': [] as Array<Record<string, number>>, reload: [] as Array<Record<string, number>> }))
try {
  for (let i = 0; i < samples; i++) {
    for (const [r, relay] of relays.entries()) {
      const browser = await launchBrowser(scratch, `ready-${r}-${i}`)
      try {
        const page = await browser.newPage()
        await installMarks(page)
        await page.goto(relay.url)
        runs[r]!['first visit'].push(await timeline(page))
        // the reload is served by the service worker once it controls the page
        await page.waitForFunction(() => navigator.serviceWorker.controller != null, undefined, { timeout: READY_TIMEOUT_MS })
        await page.reload()
        runs[r]!.reload.push(await timeline(page))
      } finally {
        await browser.close()
      }
    }
  }
} finally {
  await Promise.all(relays.map(async relay => relay.stop()))
  rmSync(scratch, { recursive: true, force: true })
}

for (const [r, byLoad] of runs.entries()) {
  for (const [name, loads] of Object.entries(byLoad) as Array<[Load, Array<Record<string, number>>]>) {
    const steps = new Set(loads.flatMap(Object.keys))
    const rows = [...steps].map(step => ({ step, s: stat(loads.map(l => l[step])) }))
      .filter(row => row.s != null)
      .sort((a, b) => a.s!.median - b.s!.median)
    console.log(`\n${roots[r] ?? 'this checkout'}, ${name} (${loads.length} loads; ms since navigation start)`)
    console.log('  median     min     max  step')
    for (const { step, s } of rows) console.log(`${s!.median.toFixed(0).padStart(8)}${s!.min.toFixed(0).padStart(8)}${s!.max.toFixed(0).padStart(8)}  ${step}`)
  }
}

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test as base } from '@playwright/test'
import { ChiralPage } from '../e2e/chiral-page.ts'
import { launchInNamespace, type NamespaceBrowser } from './namespace-browser.ts'
import { startStandardLab, type StandardLab } from './standard-lab.ts'
import type { LabHost } from './cases.ts'

export interface LabFixtures {
  /** A page in a fresh Chromium inside a lab host's namespace; closed after the test. */
  pageIn: (where: LabHost) => Promise<ChiralPage>
  scratch: string
}

/**
 * One lab (namespaces, routers, coturn, relays) for the whole run: building it
 * takes a second, and every case starts its own browsers in it.
 */
export const test = base.extend<LabFixtures, { lab: StandardLab }>({
  lab: [async ({}, use) => {
    const lab = await startStandardLab()
    try {
      await use(lab)
    } finally {
      await lab.stop()
    }
  }, { scope: 'worker', timeout: 60_000 }],

  pageIn: async ({ lab }, use) => {
    const browsers: NamespaceBrowser[] = []
    await use(async ({ home, host }) => {
      const ns = lab.lab.home(home).hostNs[host - 1]
      if (ns == null) throw new Error(`home ${home} has no host ${host}`)
      const browser = await launchInNamespace(ns, lab.browserOptions)
      browsers.push(browser)
      return new ChiralPage(browser.context.pages()[0] ?? await browser.context.newPage())
    })
    await Promise.all(browsers.map(async b => b.close()))
  },

  scratch: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'chiral-nat-'))
    await use(dir)
    rmSync(dir, { recursive: true, force: true })
  }
})

export { expect } from '@playwright/test'

import { mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumExecutable } from '../test/e2e/browser.ts'
import { findBrowserPid } from './cpu.ts'

/** One Chromium process with its own on-disk profile (IndexedDB on disk), like a separate machine. */
export interface BenchBrowser {
  name: string
  context: BrowserContext
  /** The browser process: its tree is what we charge CPU to. */
  pid: number
  userDataDir: string
  newPage(): Promise<Page>
  close(): Promise<void>
}

export async function launchBrowser (scratch: string, name: string): Promise<BenchBrowser> {
  const userDataDir = mkdtempSync(join(scratch, `${name}-`))
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumExecutable(),
    args: CHROMIUM_ARGS,
    headless: true,
    acceptDownloads: true
  })
  const pid = findBrowserPid(userDataDir)
  let first: Page | undefined = context.pages()[0]
  return {
    name,
    context,
    pid,
    userDataDir,
    newPage: async () => {
      // reuse the blank start page once, so no idle tab lingers
      if (first != null) { const page = first; first = undefined; return page }
      return context.newPage()
    },
    close: async () => {
      await context.close()
      rmSync(userDataDir, { recursive: true, force: true })
    }
  }
}

/** A blank page on `origin` (a secure context, unlike about:blank), served by Playwright, not the app. */
export async function blankPage (browser: BenchBrowser, origin: string): Promise<Page> {
  const page = await browser.newPage()
  const url = `${origin}/__bench_blank.html`
  await page.route(url, route => route.fulfill({ contentType: 'text/html', body: '<!doctype html><meta charset="utf-8"><title>bench</title>' }))
  await page.goto(url)
  return page
}


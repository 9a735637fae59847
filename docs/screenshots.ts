/**
 * The README's screenshots, from the real app: `npm run screenshots` (after
 * `npm run build`). Starts a relay, opens two Chromium pages, shares a folder
 * and a file from one, downloads the folder in the other, and writes
 * docs/screenshot.png (the receiving page), docs/library.png,
 * docs/folder-tree.png and docs/share-qr.png.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Page } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumExecutable } from '../test/e2e/browser.ts'
import { startRelay } from '../test/e2e/relay-process.ts'

const READY_TIMEOUT_MS = 30_000
const SHOT_TIMEOUT_MS = 60_000
const VIEWPORT = { width: 1100, height: 900 }

/** A small holiday folder: a few levels, names a person would recognise. */
function makeFolder (root: string): string {
  const top = join(root, 'holiday-2026')
  const files: Record<string, number> = {
    'itinerary.pdf': 180_000,
    'photos/beach.jpg': 2_400_000,
    'photos/harbour.jpg': 1_900_000,
    'photos/night/market.jpg': 2_100_000,
    'video/boat-trip.mp4': 9_000_000,
    'notes.txt': 3_000
  }
  for (const [path, size] of Object.entries(files)) {
    const full = join(top, path)
    mkdirSync(join(full, '..'), { recursive: true })
    writeFileSync(full, Buffer.alloc(size, path.length))
  }
  return top
}

async function ready (page: Page): Promise<void> {
  await page.getByTestId('peer-status').filter({ hasText: 'ready' }).waitFor({ timeout: READY_TIMEOUT_MS })
}

async function main (): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'chiral-shots-'))
  const relay = await startRelay()
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS })
  try {
    const sharer = await (await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light' })).newPage()
    const receiver = await (await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light' })).newPage()
    await sharer.goto(relay.url)
    await receiver.goto(relay.url)
    await ready(sharer)
    await ready(receiver)

    const reportFile = join(scratch, 'report.pdf')
    writeFileSync(reportFile, Buffer.alloc(700_000, 7))
    await sharer.getByTestId('file-input').setInputFiles(reportFile)
    await sharer.getByTestId('share-cid').filter({ hasText: /^baf/ }).waitFor({ timeout: SHOT_TIMEOUT_MS })
    await sharer.getByTestId('folder-input').setInputFiles(makeFolder(scratch))
    const cid = sharer.getByTestId('share-cid').filter({ hasNotText: /^\s*$/ })
    await sharer.getByTestId('library-item').nth(1).waitFor({ timeout: SHOT_TIMEOUT_MS })
    const folderCid = (await cid.first().textContent())!.trim()

    await sharer.getByTestId('share-qr').first().waitFor({ timeout: SHOT_TIMEOUT_MS })
    await sharer.getByTestId('share-qr').first().locator('xpath=ancestor::section[1]').screenshot({ path: 'docs/share-qr.png' })
    // one item stopped, so the library shows both states
    const report = sharer.getByTestId('library-item').filter({ hasText: 'report.pdf' })
    await report.getByTestId('stop-sharing').click()
    await report.and(sharer.locator('[data-state=stopped]')).waitFor({ timeout: SHOT_TIMEOUT_MS })
    await sharer.getByTestId('library').locator('xpath=ancestor::section[1]').screenshot({ path: 'docs/library.png' })

    await receiver.getByTestId('cid-input').fill(folderCid)
    await receiver.getByTestId('download-button').click()
    await receiver.getByTestId('transfer-state').filter({ hasText: /complete\s*$/ }).waitFor({ timeout: SHOT_TIMEOUT_MS })
    await receiver.getByTestId('file-tree').first().locator('xpath=ancestor::section[1]').screenshot({ path: 'docs/folder-tree.png' })
    await receiver.screenshot({ path: 'docs/screenshot.png' })
    console.log('wrote docs/screenshot.png, docs/library.png, docs/folder-tree.png, docs/share-qr.png')
  } finally {
    await browser.close()
    await relay.stop()
    rmSync(scratch, { recursive: true, force: true })
  }
}

await main()

import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { importer } from 'ipfs-unixfs-importer'
import { KUBO_CIDV1_OPTIONS } from '../../app/core/content/import-share.ts'
import { expectAccessible } from './axe.ts'
import { ChiralPage, sha256File, TRANSFER_TIMEOUT_MS } from './chiral-page.ts'
import { expect, test } from './fixtures.ts'
import { readZip } from './zip-reader.ts'
import type { Page } from '@playwright/test'

/** The sharer's upload cap while the receiver's tree is checked: the data takes seconds, the folders milliseconds. */
const SLOW_UPLOAD = 200_000
/** The sharers' cap while a file is picked: little data moves before the pick is made. */
const SLOWEST_UPLOAD = 50_000

interface FolderFile { path: string, size: number, sha256: string, bytes: Buffer }

/** A folder of 3 levels and 50 files: mostly small (one raw block), some of several blocks. */
function makeFolder (root: string): FolderFile[] {
  const layout: Array<[string, number]> = [['', 12], ['photos', 14], ['photos/2024', 16], ['notes', 8]]
  const files: FolderFile[] = []
  let n = 0
  for (const [folder, count] of layout) {
    for (let i = 0; i < count; i++, n++) {
      const size = n % 10 === 3 ? 600_000 + n * 1_000 : 1_000 + n * 997
      const bytes = randomBytes(size)
      const path = ['album', folder, `file-${String(n).padStart(2, '0')}.bin`].filter(s => s !== '').join('/')
      mkdirSync(dirname(join(root, path)), { recursive: true })
      writeFileSync(join(root, path), bytes)
      files.push({ path, size, sha256: createHash('sha256').update(bytes).digest('hex'), bytes })
    }
  }
  return files
}

/** The CID `ipfs add -r --cid-version=1 --wrap-with-directory album` gives (the importer with Kubo's options), and each block's size. */
async function kuboCid (files: FolderFile[]): Promise<{ cid: string, blockBytes: Map<string, number> }> {
  const blockBytes = new Map<string, number>()
  const blockstore = { put: async (cid: { toString(): string }, bytes: Uint8Array) => { blockBytes.set(cid.toString(), bytes.byteLength); return cid } }
  let cid = ''
  for await (const entry of importer(files.map(f => ({ path: f.path, content: f.bytes })), blockstore as never, KUBO_CIDV1_OPTIONS)) {
    if (entry.path === '') cid = entry.cid.toString()
  }
  return { cid, blockBytes }
}

/** Record every block CID this page serves from now on. */
async function recordServed (page: Page): Promise<void> {
  await page.evaluate(() => {
    const served: string[] = []
    ;(globalThis as unknown as { servedCids: string[] }).servedCids = served
    globalThis.chiral!.peer.addEventListener('block:served', event => { served.push(event.detail.cid) })
  })
}

async function servedCids (page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as { servedCids: string[] }).servedCids)
}

async function setUploadLimit (page: Page, limit: number | undefined): Promise<void> {
  await page.evaluate(value => { globalThis.chiral!.peer.setUploadLimit(value) }, limit)
}

test('a folder of 3 levels and 50 files: Kubo\'s CID, the tree before the data, a zip checked file by file, one file picked alone', async ({ browser, relay, scratch }) => {
  const files = makeFolder(join(scratch, 'src'))
  const totalBytes = files.reduce((sum, f) => sum + f.size, 0)
  const expected = await kuboCid(files)
  const alice = new ChiralPage(await (await browser.newContext()).newPage())
  const bob = new ChiralPage(await (await browser.newContext()).newPage())
  await Promise.all([alice.open(relay.url), bob.open(relay.url)])

  // share the folder through the directory picker
  await alice.page.getByTestId('folder-input').setInputFiles(join(scratch, 'src', 'album'))
  const cidText = alice.page.getByTestId('share-cid')
  await expect(cidText).toHaveText(/^baf[a-z2-7]+$/, { timeout: TRANSFER_TIMEOUT_MS })
  const cid = (await cidText.textContent())!.trim()
  expect(cid).toBe(expected.cid)

  // the receiver lists the whole tree while most of the data is still to come
  await setUploadLimit(alice.page, SLOW_UPLOAD)
  await bob.startDownload(cid)
  const items = bob.row(cid).getByTestId('file-item')
  await expect(items).toHaveCount(files.length, { timeout: TRANSFER_TIMEOUT_MS })
  const progress = await bob.page.evaluate(c => globalThis.chiral!.peer.transfers.get(c)?.progress, cid)
  expect(progress?.bytes ?? 0).toBeLessThan(totalBytes / 2)
  expect(await bob.page.evaluate(c => globalThis.chiral!.peer.transfers.get(c)?.state, cid)).toBe('running')
  expect((await items.evaluateAll(rows => rows.map(r => r.getAttribute('data-path')))).sort()).toEqual(files.map(f => f.path).sort())
  await expectAccessible(bob.page) // the tree while downloading: checkboxes, Save not yet enabled
  await setUploadLimit(alice.page, undefined)
  await bob.downloadComplete(cid)

  // the whole share as a zip, every entry inside one top folder, each file's bytes as sent
  await expect(bob.row(cid).getByTestId('save-all')).toHaveAttribute('href', /^\/zip\//)
  const [download] = await Promise.all([
    bob.page.waitForEvent('download', { timeout: TRANSFER_TIMEOUT_MS }),
    bob.row(cid).getByTestId('save-all').click()
  ])
  expect(download.suggestedFilename()).toBe('album.zip')
  const entries = await readZip(await download.path())
  expect(entries.map(e => e.name).sort()).toEqual(files.map(f => f.path).sort())
  const bySha = new Map(files.map(f => [f.path, f.sha256]))
  for (const entry of entries) expect(entry.sha256, entry.name).toBe(bySha.get(entry.name))

  // a third browser picks one file: only it is fetched, and it is saved whole
  const carol = new ChiralPage(await (await browser.newContext()).newPage())
  await carol.open(relay.url)
  await Promise.all([recordServed(alice.page), recordServed(bob.page)]) // bob holds the share now: he serves too
  await Promise.all([setUploadLimit(alice.page, SLOWEST_UPLOAD), setUploadLimit(bob.page, SLOWEST_UPLOAD)])
  await carol.startDownload(cid)
  const carolRow = carol.row(cid)
  await expect(carolRow.getByTestId('file-item')).toHaveCount(files.length, { timeout: TRANSFER_TIMEOUT_MS })
  await carolRow.getByTestId('select-all-files').uncheck()
  const picked = files.find(f => f.size > 600_000)!
  const pickedRow = carolRow.locator(`[data-testid=file-item][data-path="${picked.path}"]`)
  await pickedRow.getByTestId('file-select').check()
  await Promise.all([setUploadLimit(alice.page, undefined), setUploadLimit(bob.page, undefined)])
  await expect(pickedRow).toHaveAttribute('data-complete', 'true', { timeout: TRANSFER_TIMEOUT_MS })
  await expect(carolRow).toHaveAttribute('data-state', 'done')
  await expect(carol.page.locator(`[data-testid=library-item][data-cid="${cid}"]`)).toHaveAttribute('data-state', 'picked')
  await expectAccessible(carol.page) // one file picked: the rest unchecked and muted, "every file" mixed
  const [saved] = await Promise.all([
    carol.page.waitForEvent('download', { timeout: TRANSFER_TIMEOUT_MS }),
    pickedRow.getByTestId('save-file').click()
  ])
  expect(await sha256File(await saved.path())).toBe(picked.sha256)
  const served = [...await servedCids(alice.page), ...await servedCids(bob.page)]
  const servedBytes = served.reduce((sum, c) => sum + (expected.blockBytes.get(c) ?? 0), 0)
  expect(servedBytes).toBeGreaterThanOrEqual(picked.size)
  expect(servedBytes).toBeLessThan(totalBytes / 2)
  expect(await carolRow.locator('[data-testid=file-item][data-complete=true]').count()).toBe(1)
})

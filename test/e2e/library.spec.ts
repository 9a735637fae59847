import { ChiralPage, makeFile, sha256File, TRANSFER_TIMEOUT_MS, type TestFile } from './chiral-page.ts'
import { expect, test } from './fixtures.ts'
import { startRelay } from './relay-process.ts'
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'

const MB = 1024 * 1024
/** How long a lookup may take before "nobody listed" counts as an answer. */
const LOOKUP_MS = 5_000

/** Blocks in this origin's IndexedDB block store. */
async function blockCount (page: Page): Promise<number> {
  return page.evaluate(async () => new Promise<number>((resolve, reject) => {
    const open = indexedDB.open('chiral')
    open.onerror = () => { reject(open.error) }
    open.onsuccess = () => {
      const db = open.result
      const count = db.transaction('blocks').objectStore('blocks').count()
      count.onsuccess = () => { db.close(); resolve(count.result) }
      count.onerror = () => { db.close(); reject(count.error) }
    }
  }))
}

/** The peers the DHT names as providers of `cid`, asked from `page`. */
async function providers (page: Page, cid: string): Promise<string[]> {
  return page.evaluate(async ({ cid, ms }) => {
    const found: string[] = []
    try {
      for await (const provider of globalThis.chiral!.peer.findProviders(cid, { signal: AbortSignal.timeout(ms) })) found.push(provider.peerId)
    } catch {} // the lookup ran out of time: what was found is the answer
    return found
  }, { cid, ms: LOOKUP_MS })
}

async function shareNew (alice: ChiralPage, file: TestFile): Promise<string> {
  const before = await alice.page.getByTestId('share-cid').textContent().catch(() => null)
  await alice.page.getByTestId('file-input').setInputFiles(file.path)
  const shown = alice.page.getByTestId('share-cid')
  await expect(shown).toHaveText(/^baf[a-z2-7]+$/)
  await expect(shown).not.toHaveText(before ?? '')
  return (await shown.textContent())!.trim()
}

function item (page: Page, cid: string) {
  return page.locator(`[data-testid=library] [data-testid=library-item][data-cid="${cid}"]`)
}

test('library: survives a reload; delete keeps shared blocks; a stopped item is not re-announced', async ({ browser, relay, scratch }) => {
  const alice = new ChiralPage(await (await browser.newContext()).newPage())
  const bob = new ChiralPage(await (await browser.newContext()).newPage())
  await Promise.all([alice.open(relay.url), bob.open(relay.url)])

  // the same 2 MiB under two names: the shares differ only in their directory block
  const first = makeFile(scratch, 'first.bin', 2 * MB)
  const secondPath = join(scratch, 'second.bin')
  copyFileSync(first.path, secondPath)
  const second: TestFile = { ...first, path: secondPath, name: 'second.bin' }
  const other = makeFile(scratch, 'other.bin', 1 * MB + 5)
  const firstCid = await alice.share(first)
  const secondCid = await shareNew(alice, second)
  const otherCid = await shareNew(alice, other)
  expect(new Set([firstCid, secondCid, otherCid]).size).toBe(3)

  // a reload lists all three, each shared
  await alice.page.reload()
  await alice.ready()
  await expect(alice.page.getByTestId('library-item')).toHaveCount(3)
  for (const cid of [firstCid, secondCid, otherCid]) await expect(item(alice.page, cid)).toHaveAttribute('data-state', 'sharing')
  await expect(item(alice.page, firstCid)).toContainText('first.bin')
  await expect(alice.page.getByTestId('storage-used')).toContainText('used')
  // what the library holds can still be saved after the reload, from the item itself
  await item(alice.page, otherCid).getByTestId('show-files').click()
  const [saved] = await Promise.all([
    alice.page.waitForEvent('download', { timeout: TRANSFER_TIMEOUT_MS }),
    item(alice.page, otherCid).getByTestId('save-file').click()
  ])
  expect(await sha256File(await saved.path())).toBe(other.sha256)
  await item(alice.page, otherCid).getByTestId('show-files').click()
  // each item's link as a QR code, for a phone (that it decodes to the link is a unit test: ui-qr-image)
  await item(alice.page, secondCid).getByTestId('show-qr').click()
  await expect(item(alice.page, secondCid).getByTestId('share-qr')).toHaveAttribute('alt', new RegExp(`${secondCid}$`))

  // delete the first: only its directory block goes; the second still downloads whole
  const blocksBefore = await blockCount(alice.page)
  // delete asks first: Keep (or Escape) leaves it, Delete removes it
  await item(alice.page, firstCid).getByTestId('delete').click()
  await expect(item(alice.page, firstCid).getByTestId('confirm-delete')).toBeFocused()
  await alice.page.keyboard.press('Escape')
  await expect(item(alice.page, firstCid).getByTestId('confirm-delete')).toHaveCount(0)
  await expect(item(alice.page, firstCid).getByTestId('delete')).toBeFocused()
  expect(await blockCount(alice.page)).toBe(blocksBefore)
  await item(alice.page, firstCid).getByTestId('delete').click()
  await item(alice.page, firstCid).getByTestId('confirm-delete').click()
  await expect(item(alice.page, firstCid)).toHaveCount(0)
  await expect.poll(async () => blockCount(alice.page)).toBe(blocksBefore - 1)
  await bob.startDownload(secondCid)
  await bob.downloadComplete(secondCid)
  expect((await bob.save(0, secondCid)).sha256).toBe(first.sha256)

  // stop sharing the other one; with a fresh relay (no provider records) and a reload, it is not announced again
  await item(alice.page, otherCid).getByTestId('stop-sharing').click()
  await expect(item(alice.page, otherCid)).toHaveAttribute('data-state', 'stopped')
  // the relay still holds Alice's record for it (a DHT record cannot be withdrawn), but she no longer serves it
  const started = Date.now()
  await bob.startDownload(otherCid)
  await expect(bob.page.getByTestId('error')).toHaveAttribute('data-error', 'NoProvidersError', { timeout: 30_000 })
  expect(Date.now() - started).toBeLessThan(30_000)
  await expect(bob.row(otherCid)).toHaveAttribute('data-state', 'failed')
  const port = Number(new URL(relay.url).port)
  await relay.stop()
  const fresh = await startRelay({ port })
  try {
    await alice.page.reload()
    await alice.ready()
    await expect(item(alice.page, otherCid)).toHaveAttribute('data-state', 'stopped')
    const carol = new ChiralPage(await (await browser.newContext()).newPage())
    await carol.open(fresh.url)
    const aliceId = await alice.peerId()
    // the one still shared is re-announced (at the same moment the stopped one would have been)
    await expect.poll(async () => providers(carol.page, secondCid), { timeout: 60_000 }).toContain(aliceId)
    expect(await providers(carol.page, otherCid)).not.toContain(aliceId)

    // share again: announced at once
    await item(alice.page, otherCid).getByTestId('share-again').click()
    await expect(item(alice.page, otherCid)).toHaveAttribute('data-state', 'sharing')
    await expect.poll(async () => providers(carol.page, otherCid), { timeout: 60_000 }).toContain(aliceId)
  } finally {
    await fresh.stop()
  }
})

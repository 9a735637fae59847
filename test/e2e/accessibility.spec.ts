import { ChiralPage, makeFile, TRANSFER_TIMEOUT_MS } from './chiral-page.ts'
import { EXPERIMENTAL_RULES, expectAccessible } from './axe.ts'
import { expect, test } from './fixtures.ts'

const MB = 1024 * 1024
/** The sharer's upload cap while a download is scanned: slow enough that the row is still running. */
const SLOW_UPLOAD = 1 * MB

test('axe, experimental rules included, finds nothing: empty page, during and after a share, during and after a download', async ({ browser, relay, scratch }) => {
  expect(Object.keys(EXPERIMENTAL_RULES)).toContain('label-content-name-mismatch')
  const alice = new ChiralPage(await (await browser.newContext()).newPage())
  const bob = new ChiralPage(await (await browser.newContext()).newPage())
  await Promise.all([alice.open(relay.url), bob.open(relay.url)])
  await expectAccessible(alice.page)

  // while a share is imported (large enough to still be importing when the scan starts)
  await alice.page.getByTestId('file-input').setInputFiles(makeFile(scratch, 'archive.tar', 48 * MB).path)
  await expect(alice.page.getByTestId('share-progress')).toBeVisible()
  await expectAccessible(alice.page)
  await expect(alice.page.getByTestId('drop-zone')).toHaveAttribute('aria-disabled', 'false', { timeout: TRANSFER_TIMEOUT_MS })

  // once shared: link, CID, copy buttons, the file list
  const file = makeFile(scratch, 'report.pdf', 8 * MB)
  const cid = await alice.share(file)
  await expect(alice.page.getByTestId('share-result')).toBeVisible()
  await expectAccessible(alice.page)

  await alice.page.evaluate(limit => { globalThis.chiral!.peer.setUploadLimit(limit) }, SLOW_UPLOAD)
  await bob.startDownload(cid)
  await expect(bob.row(cid)).toHaveAttribute('data-state', 'running', { timeout: TRANSFER_TIMEOUT_MS })
  await expect(bob.row(cid).getByTestId('transfer-progress')).not.toHaveAttribute('aria-valuenow', '0')
  await expect(bob.row(cid).getByTestId('speed-graph')).toBeVisible()
  await expectAccessible(bob.page)
  // the sharer's side meanwhile: who downloads, how far
  await expect(alice.page.getByTestId('sharer-activity').getByTestId('upload')).toBeVisible()
  await expectAccessible(alice.page)

  await bob.downloadComplete()
  await expect(bob.row(cid).getByTestId('file-list')).toBeVisible()
  await expectAccessible(bob.page)
})

test('axe finds nothing with a full library: items in every state, your own share, the delete confirmation', async ({ browser, relay, scratch }) => {
  const alice = new ChiralPage(await (await browser.newContext()).newPage())
  const bob = new ChiralPage(await (await browser.newContext()).newPage())
  await Promise.all([alice.open(relay.url), bob.open(relay.url)])
  const kept = await alice.share(makeFile(scratch, 'notes.txt', 300_000))
  const stopped = await alice.share(makeFile(scratch, 'photo.jpg', 600_000))
  const large = await alice.share(makeFile(scratch, 'film.mkv', 8 * MB))
  const item = (cid: string) => bob.page.locator(`[data-testid=library-item][data-cid="${cid}"]`)

  // complete and shared; complete and no longer shared
  for (const cid of [kept, stopped]) {
    await bob.startDownload(cid)
    await bob.downloadComplete(cid)
  }
  await item(stopped).getByTestId('stop-sharing').click()
  await expect(item(stopped)).toHaveAttribute('data-state', 'stopped')

  // paused part way
  await alice.page.evaluate(limit => { globalThis.chiral!.peer.setUploadLimit(limit) }, SLOW_UPLOAD)
  await bob.startDownload(large)
  await expect(bob.row(large).getByTestId('transfer-progress')).not.toHaveAttribute('aria-valuenow', '0', { timeout: TRANSFER_TIMEOUT_MS })
  await bob.pause(large)
  await expect(item(large)).toHaveAttribute('data-state', 'paused')
  await expect(item(large).getByTestId('library-item-size')).toContainText(/^[1-9][\d.]* [kMG]?B of /) // how far it got, not 0 B

  // failed: nobody shares it
  const nobody = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'
  await bob.startDownload(nobody)
  await expect(bob.page.getByTestId('error')).toHaveAttribute('data-error', 'NoProvidersError', { timeout: TRANSFER_TIMEOUT_MS })
  await expect(item(nobody)).toHaveAttribute('data-state', 'failed')

  // your own link (its finished download row removed, so the library shows it), and a delete waiting for its confirmation
  await bob.row(kept).getByTestId('remove-button').click()
  await bob.startDownload(kept)
  await expect(item(kept).getByTestId('own-share')).toBeVisible()
  await item(stopped).getByTestId('delete').click()
  await expect(item(stopped).getByTestId('confirm-delete')).toBeFocused()
  await item(kept).getByTestId('show-qr').click()
  await item(kept).getByTestId('show-files').click()
  await expect(item(kept).getByTestId('file-tree')).toBeVisible()
  await expectAccessible(bob.page)
})

test('keyboard only: Tab reaches the drop zone, and Enter or Space opens the file picker', async ({ browser, relay }) => {
  const chiral = new ChiralPage(await (await browser.newContext()).newPage())
  await chiral.open(relay.url)
  const page = chiral.page
  const dropZone = page.getByTestId('drop-zone')

  // from the top of the page, Tab alone gets there
  await page.locator('body').focus()
  for (let presses = 0; presses < 10 && !await dropZone.evaluate(el => el === document.activeElement); presses++) {
    await page.keyboard.press('Tab')
  }
  await expect(dropZone).toBeFocused()

  for (const key of ['Enter', 'Space']) {
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser', { timeout: 5_000 }),
      page.keyboard.press(key)
    ])
    expect(chooser.isMultiple()).toBe(true)
    await expect(dropZone).toBeFocused()
  }
})

test('axe finds nothing where things went wrong: an error shown, a failed download, the relay down', async ({ browser, relay }) => {
  const chiral = new ChiralPage(await (await browser.newContext()).newPage())
  await chiral.open(relay.url)
  const page = chiral.page

  await chiral.startDownload('this is not a cid')
  await expect(page.getByTestId('error')).toBeVisible()
  await expectAccessible(page)

  await chiral.startDownload('bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy')
  await expect(page.getByTestId('error')).toHaveAttribute('data-error', 'NoProvidersError', { timeout: TRANSFER_TIMEOUT_MS })
  await expectAccessible(page)
  await page.getByRole('button', { name: 'Dismiss the error' }).click()
  await expect(page.getByTestId('transfer-error')).toBeVisible() // dismissed above, the row still says why
  await expectAccessible(page)

  // the service worker holds the app shell, so the page opens while the relay is down
  await page.waitForFunction(async () => (await navigator.serviceWorker.ready).active != null && navigator.serviceWorker.controller != null)
  await relay.stop()
  await page.reload()
  await expect(page.getByTestId('retry-button')).toBeVisible({ timeout: 15_000 })
  await expectAccessible(page)
})

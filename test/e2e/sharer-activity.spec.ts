import { ChiralPage, makeFile, TRANSFER_TIMEOUT_MS } from './chiral-page.ts'
import { expect, test } from './fixtures.ts'

const MB = 1024 * 1024
/** The sharer's upload cap: slow enough that progress is seen while the download runs (8 MiB in about 8 s). */
const SLOW_UPLOAD = 1 * MB
/** An entry leaves the list SERVE_ACTIVITY_IDLE_MS (10 s) after its peer's last ask, and is read again within a second. */
const EXPIRY_MS = 20_000

test('the sharer sees who downloads, how far and by which path, and the bytes served; the downloader sees a live speed graph and the title', async ({ browser, relay, scratch }) => {
  const alice = new ChiralPage(await (await browser.newContext()).newPage())
  const bob = new ChiralPage(await (await browser.newContext()).newPage())
  await Promise.all([alice.open(relay.url), bob.open(relay.url)])
  const file = makeFile(scratch, 'report.pdf', 8 * MB)
  const cid = await alice.share(file)
  const activity = alice.page.getByTestId('sharer-activity')
  await expect(activity).toContainText('Nobody is downloading')

  await alice.page.evaluate(limit => { globalThis.chiral!.peer.setUploadLimit(limit) }, SLOW_UPLOAD)
  const bobId = await bob.peerId()
  await bob.startDownload(cid)
  const upload = activity.locator(`[data-testid=upload][data-peer="${bobId}"][data-cid="${cid}"]`)
  await expect(upload).toBeVisible({ timeout: TRANSFER_TIMEOUT_MS })
  await expect(upload).toContainText('report.pdf')

  // while it runs: part of the whole, growing, and the same on both sides within a block window
  const fraction = async (): Promise<number> => Number(await upload.getAttribute('data-fraction') || 0)
  await expect.poll(fraction).toBeGreaterThan(0)
  const early = await fraction()
  expect(early).toBeLessThan(1)
  await expect.poll(fraction).toBeGreaterThan(early)
  await expect(bob.row(cid)).toHaveAttribute('data-state', 'running')
  await expect(bob.page).toHaveTitle(/^\d{1,2}% · Chiral$/)
  await expect.poll(async () => Number(await bob.row(cid).getByTestId('speed-graph').getAttribute('data-samples'))).toBeGreaterThan(1)
  // the name is known from the share's folder block on, long before the data is here
  await expect(bob.row(cid).getByTestId('speed-graph')).toHaveAccessibleName(`Download speed of ${file.name}`)
  await expect(bob.row(cid).getByTestId('transfer-peer')).toHaveAttribute('data-route', 'direct')

  await bob.downloadComplete(cid)
  expect((await bob.save(0, cid)).sha256).toBe(file.sha256)
  await expect(bob.page).toHaveTitle(/^Chiral — /)
  // the speed is not left at the last burst: the graph ends at 0
  await expect(bob.row(cid).getByTestId('speed-graph')).toHaveAttribute('data-latest', '0')

  // every block went to bob: the whole share, all of it counted in the total
  await expect.poll(fraction).toBe(1)
  await expect(upload).toHaveAttribute('data-route', 'direct')
  const served = Number(await upload.getAttribute('data-bytes'))
  expect(served).toBeGreaterThanOrEqual(file.size)
  await expect.poll(async () => Number(await alice.page.getByTestId('bytes-served').getAttribute('data-bytes'))).toBeGreaterThanOrEqual(served)

  // bob asks for nothing more: the entry expires, the total stays
  await expect(upload).toHaveCount(0, { timeout: EXPIRY_MS })
  await expect(activity).toContainText('Nobody is downloading')
  await expect(alice.page.getByTestId('bytes-served')).toContainText('MB')
})

test('opening your own link shows your library item instead of downloading from yourself', async ({ browser, relay, scratch }) => {
  const alice = new ChiralPage(await (await browser.newContext()).newPage())
  await alice.open(relay.url)
  const cid = await alice.share(makeFile(scratch, 'mine.bin', 300_000))
  const item = alice.page.locator(`[data-testid=library-item][data-cid="${cid}"]`)

  await alice.startDownload(`${relay.url}/#/${cid}`)
  await expect(item).toHaveAttribute('data-own', 'true')
  await expect(item.getByTestId('own-share')).toContainText('This is your own share')
  await expect(item).toBeFocused()
  await expect(alice.page.getByTestId('transfer')).toHaveCount(0)

  // the same through the address: a fresh load with #/<cid> (not a hash change on the loaded page)
  await alice.page.goto('about:blank')
  await alice.page.goto(`${relay.url}/#/${cid}`)
  await alice.ready()
  await expect(item.getByTestId('own-share')).toBeVisible()
  await expect(alice.page.getByTestId('transfer')).toHaveCount(0)
})

import { ChiralPage, makeFile, TRANSFER_TIMEOUT_MS } from './chiral-page.ts'
import { expect, test } from './fixtures.ts'
import { controlled, shareToChiral } from './sw-probe.ts'

test('share target: files shared from another app are shared as if dropped (same CID), and the inbox is emptied', async ({ browser, relay, scratch }) => {
  const photo = makeFile(scratch, 'holiday photo.jpg', 700_000)
  const page = new ChiralPage(await (await browser.newContext()).newPage())
  await page.open(relay.url)
  await controlled(page.page)

  await shareToChiral(page.page, { files: [photo.path], title: 'Holiday' })
  const shown = page.page.getByTestId('share-cid')
  await expect(shown).toHaveText(/^baf[a-z2-7]+$/, { timeout: TRANSFER_TIMEOUT_MS })
  const cid = (await shown.textContent())!.trim()
  // the address no longer names the pending share, so a reload does not share it again
  expect(new URL(page.page.url()).search).toBe('')
  await expect.poll(async () => page.page.evaluate(async () => caches.has('chiral-share-target'))).toBe(false)

  const dropper = new ChiralPage(await (await browser.newContext()).newPage())
  await dropper.open(relay.url)
  expect(await dropper.share(photo)).toBe(cid)
})

test('share target: a shared Chiral link opens as a download', async ({ browser, relay, scratch }) => {
  const clip = makeFile(scratch, 'clip.bin', 400_000)
  const sender = new ChiralPage(await (await browser.newContext()).newPage())
  await sender.open(relay.url)
  const cid = await sender.share(clip)

  const receiver = new ChiralPage(await (await browser.newContext()).newPage())
  await receiver.open(relay.url)
  await controlled(receiver.page)
  await shareToChiral(receiver.page, { text: `Have a look: ${relay.url}/#/${cid}.` })
  await receiver.downloadComplete(cid)
  expect((await receiver.save(0, cid)).sha256).toBe(clip.sha256)
})

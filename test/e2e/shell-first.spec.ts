import type { Route } from '@playwright/test'
import { ChiralPage, makeFile } from './chiral-page.ts'
import { expect, test } from './fixtures.ts'

const KB = 1024

/**
 * The page is a shell (UI, drop zone, link field) in one chunk and the peer
 * (app/core with libp2p) in another, loaded beside it. Holding the peer's chunk
 * back shows what a person can do before libp2p has loaded: everything, with
 * what they did waiting for the peer, and nothing lost once it runs.
 */
test('the first screen takes a file and a link before libp2p has loaded; both go through once the peer runs', async ({ browser, relay, scratch }) => {
  const alice = new ChiralPage(await (await browser.newContext()).newPage())
  await alice.open(relay.url)
  const forBob = makeFile(scratch, 'for bob.bin', 700 * KB + 3)
  const aliceCid = await alice.share(forBob)

  const bob = new ChiralPage(await (await browser.newContext()).newPage())
  const held: Route[] = []
  let peerChunk = ''
  await bob.page.route(/\/assets\/peer-[\w-]+\.js$/, route => {
    peerChunk = new URL(route.request().url()).pathname
    held.push(route)
  })
  await bob.page.goto(relay.url)

  // the shell is up and says the peer is starting while its code is held back
  await expect.poll(() => held.length).toBe(1)
  await expect(bob.page.getByTestId('drop-zone')).toBeVisible()
  await expect(bob.page.getByTestId('cid-input')).toBeEditable()
  await expect(bob.page.getByTestId('peer-status')).toHaveText('Starting your peer…')
  expect(await bob.page.evaluate(() => globalThis.chiral)).toBeUndefined()
  const loadedScripts = await bob.page.evaluate(() => performance.getEntriesByType('resource').map(r => new URL(r.name).pathname).filter(p => p.endsWith('.js')))
  expect(loadedScripts).not.toContain(peerChunk)

  // a file picked now waits for the peer, and says so; the drop zone takes no second share meanwhile
  const fromBob = makeFile(scratch, 'from bob.bin', 600 * KB + 11)
  await bob.page.getByTestId('file-input').setInputFiles(fromBob.path)
  await expect(bob.page.getByTestId('share-queued')).toContainText('from bob.bin')
  await expect(bob.page.getByTestId('share-queued')).toContainText('as soon as it is up')
  await expect(bob.page.getByTestId('drop-zone')).toHaveAttribute('aria-disabled', 'true')

  // a link entered now waits too; a wrong one is refused at once, as it would be later
  await bob.startDownload('not a link')
  await expect(bob.page.getByTestId('error')).toHaveAttribute('data-error', 'InvalidCidError')
  await bob.startDownload(`${relay.url}/#/${aliceCid}`)
  await expect(bob.page.getByTestId('download-queued')).toContainText(aliceCid)
  await expect(bob.page.getByTestId('error')).toHaveCount(0)

  // the peer's code arrives: the peer starts, and what waited goes through
  for (const route of held) await route.continue()
  await bob.ready()
  await expect(bob.page.getByTestId('share-queued')).toHaveCount(0)
  await expect(bob.page.getByTestId('download-queued')).toHaveCount(0)

  await bob.downloadComplete(aliceCid)
  expect((await bob.save(0, aliceCid)).sha256).toBe(forBob.sha256)

  const bobCid = bob.page.getByTestId('share-cid')
  await expect(bobCid).toHaveText(/^baf[a-z2-7]+$/)
  const shared = (await bobCid.textContent())!.trim()
  await alice.startDownload(shared)
  await alice.downloadComplete(shared)
  expect((await alice.save(0, shared)).sha256).toBe(fromBob.sha256)
})

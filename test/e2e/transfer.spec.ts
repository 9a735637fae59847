import { chromium } from '@playwright/test'
import { DEFAULT_WINDOW_BLOCKS } from '../../app/core/constants.ts'
import { CHROMIUM_ARGS, chromiumExecutable } from './browser.ts'
import { ChiralPage, makeFile } from './chiral-page.ts'
import { expect, test } from './fixtures.ts'
import { join } from 'node:path'

const MB = 1024 * 1024

/** Blocks of a Kubo-style balanced DAG: 256 KiB raw leaves, then levels of nodes with up to 174 links. */
function unixfsBlockCount (size: number): number {
  let level = Math.max(1, Math.ceil(size / (256 * 1024)))
  let blocks = level
  while (level > 1) {
    level = Math.ceil(level / 174)
    blocks += level
  }
  return blocks
}

test('two isolated contexts: share, download over direct WebRTC, save; then without the relay', async ({ browser, relay, scratch }) => {
  const alice = new ChiralPage(await (await browser.newContext()).newPage())
  const bob = new ChiralPage(await (await browser.newContext()).newPage())
  await Promise.all([alice.open(relay.url), bob.open(relay.url)])

  const first = makeFile(scratch, 'holiday video.mp4', 10 * MB)
  const cid = await alice.share(first)
  await bob.startDownload(cid)
  await bob.downloadComplete()
  const saved = await bob.save()
  expect(saved.sha256).toBe(first.sha256)
  expect(saved.name).toBe(first.name)

  // the blocks came over a direct WebRTC connection, not through the relay, and the page says so
  const connections = await bob.connectionsTo(await alice.peerId())
  expect(connections).toContainEqual({ direct: true, limited: false, status: 'open' })
  const path = bob.page.getByTestId('transfer-path')
  await expect(path).toContainText('direct')
  expect(await path.getAttribute('data-candidates')).toMatch(/^host\/(host|prflx)$/)

  // the relay goes away; the connected tabs still exchange a second file
  await relay.stop()
  const second = makeFile(scratch, 'notes.txt', 3 * MB + 17)
  const secondCid = await alice.share(second)
  await bob.startDownload(secondCid)
  // the first download's row stays (complete); the second has its own
  await expect(bob.page.getByTestId('transfer')).toHaveCount(2)
  await bob.downloadComplete(secondCid)
  expect((await bob.save(0, secondCid)).sha256).toBe(second.sha256)
  await expect(bob.row(cid).getByTestId('transfer-state')).toHaveText(/complete$/)
})

test('two Chromium processes with on-disk IndexedDB', async ({ relay, scratch }) => {
  const launch = async (name: string) => chromium.launchPersistentContext(join(scratch, name), {
    executablePath: chromiumExecutable(),
    args: CHROMIUM_ARGS,
    headless: true,
    acceptDownloads: true
  })
  const [contextA, contextB] = await Promise.all([launch('profile-a'), launch('profile-b')])
  try {
    const alice = new ChiralPage(contextA.pages()[0] ?? await contextA.newPage())
    const bob = new ChiralPage(contextB.pages()[0] ?? await contextB.newPage())
    await Promise.all([alice.open(relay.url), bob.open(relay.url)])
    const file = makeFile(scratch, 'dataset.bin', 10 * MB)
    const cid = await alice.share(file)
    // the share link, pasted, works like the CID
    await bob.startDownload(`${relay.url}/#/${cid}`)
    await bob.downloadComplete()
    expect((await bob.save()).sha256).toBe(file.sha256)
    const connections = await bob.connectionsTo(await alice.peerId())
    expect(connections).toContainEqual({ direct: true, limited: false, status: 'open' })
  } finally {
    await Promise.all([contextA.close(), contextB.close()])
  }
})

test('leaving mid-download: the next visit resumes by itself, and nothing is fetched twice', async ({ browser, relay, scratch }) => {
  const alice = new ChiralPage(await (await browser.newContext()).newPage())
  const bobContext = await browser.newContext()
  const bob = new ChiralPage(await bobContext.newPage())
  await Promise.all([alice.open(relay.url), bob.open(relay.url)])
  const file = makeFile(scratch, 'big.iso', 48 * MB)
  const cid = await alice.share(file)
  const totalBlocks = unixfsBlockCount(file.size) + 1 // the file's DAG and the wrapping directory
  const bobId = await bob.peerId()
  await alice.countServedBlocks() // everything Alice sends Bob, over both visits

  // The page itself leaves (for its own start page, without a link) the moment a fifth of the file
  // is stored: a test that polled from outside could miss the middle of a fast transfer.
  await bob.page.evaluate(({ threshold }) => {
    new MutationObserver(() => {
      const stored = Number(document.querySelector('[data-testid="transfer-progress"]')?.getAttribute('aria-valuenow') ?? 0)
      if (stored > threshold) location.replace('/')
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['aria-valuenow'] })
  }, { threshold: file.size / 5 })
  const left = bob.page.waitForEvent('load', { timeout: 60_000 }) // the start page, loaded anew
  await bob.startDownload(cid)
  await left

  // the unfinished download comes back with the page and completes without being asked again
  await bob.ready()
  await bob.downloadComplete()
  expect(await bob.peerId()).toBe(bobId) // the identity lives in IndexedDB too
  const resumed = await bob.page.evaluate(() => globalThis.chiral!.lastDownload!)
  expect(resumed.cid).toBe(cid)
  expect(resumed.blocksLocal).toBeGreaterThan(0) // what the first visit stored was not fetched again
  expect(resumed.blocksLocal + resumed.blocksFetched).toBe(totalBlocks)
  // Alice's own count agrees: every block once, beyond that only those in flight when the page left
  const served = await alice.servedBlocks()
  expect(served).toBeGreaterThanOrEqual(totalBlocks)
  expect(served - totalBlocks).toBeLessThanOrEqual(DEFAULT_WINDOW_BLOCKS)
  expect((await bob.save()).sha256).toBe(file.sha256)

  // asking for it again finds everything stored: nothing is fetched
  const again = await bob.page.evaluate(async cid => globalThis.chiral!.peer.download(cid), cid)
  expect(again.blocksFetched).toBe(0)
  expect(again.blocksLocal).toBe(totalBlocks)
  expect(await alice.servedBlocks()).toBe(served)
})

test('two downloads at once in one tab: the second does not stop the first, and both complete', async ({ browser, relay, scratch }) => {
  const alice = new ChiralPage(await (await browser.newContext()).newPage())
  const bob = new ChiralPage(await (await browser.newContext()).newPage())
  await Promise.all([alice.open(relay.url), bob.open(relay.url)])
  const first = makeFile(scratch, 'first.bin', 24 * MB)
  const second = makeFile(scratch, 'second.bin', 24 * MB)
  const firstCid = await alice.share(first)
  const secondCid = await alice.share(second)
  expect(secondCid).not.toBe(firstCid)

  // the page counts the rows running at the same moment, from the first mutation on
  await bob.page.evaluate(() => {
    const seen = { most: 0 }
    ;(globalThis as unknown as { runningRows: typeof seen }).runningRows = seen
    new MutationObserver(() => {
      seen.most = Math.max(seen.most, document.querySelectorAll('[data-testid="transfer"][data-state="running"]').length)
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] })
  })
  await bob.startDownload(firstCid)
  await bob.startDownload(secondCid)
  await expect(bob.page.getByTestId('transfer')).toHaveCount(2)
  await bob.downloadComplete(firstCid)
  await bob.downloadComplete(secondCid)
  expect(await bob.page.evaluate(() => (globalThis as unknown as { runningRows: { most: number } }).runningRows.most)).toBe(2)
  // asking for a listed CID again brings its row forward instead of adding one
  await bob.startDownload(firstCid)
  await expect(bob.row(firstCid)).toBeFocused()
  await expect(bob.page.getByTestId('transfer')).toHaveCount(2)

  expect(await bob.save(0, firstCid)).toEqual({ sha256: first.sha256, name: first.name })
  expect(await bob.save(0, secondCid)).toEqual({ sha256: second.sha256, name: second.name })
  // the API saw the same: two transfers, both done
  expect(await bob.page.evaluate(() => globalThis.chiral!.peer.transfers.list().map(t => t.state))).toEqual(['done', 'done'])
})

test('pause, then resume from the keyboard: the download completes without fetching again what it had', async ({ browser, relay, scratch }) => {
  const alice = new ChiralPage(await (await browser.newContext()).newPage())
  const bob = new ChiralPage(await (await browser.newContext()).newPage())
  await Promise.all([alice.open(relay.url), bob.open(relay.url)])
  const file = makeFile(scratch, 'paused.iso', 48 * MB)
  const cid = await alice.share(file)
  const totalBlocks = unixfsBlockCount(file.size) + 1 // the file's DAG and the wrapping directory

  // The page presses Pause itself the moment a fifth of the file is stored: a test that
  // polled from outside could miss the middle of a fast transfer.
  await bob.page.evaluate(({ threshold }) => {
    const observer = new MutationObserver(() => {
      const stored = Number(document.querySelector('[data-testid="transfer"] [data-testid="transfer-progress"]')?.getAttribute('aria-valuenow') ?? 0)
      const pause = document.querySelector<HTMLButtonElement>('[data-testid="transfer"] [data-testid="pause-button"]')
      if (stored <= threshold || pause == null) return
      observer.disconnect()
      pause.click()
    })
    observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] })
  }, { threshold: file.size / 5 })
  await bob.startDownload(cid)
  const row = bob.row(cid)
  await expect(row).toHaveAttribute('data-state', 'paused', { timeout: 60_000 })
  await expect(row.getByTestId('transfer-state')).toHaveText(/paused$/i)
  expect(await bob.page.evaluate(id => globalThis.chiral!.peer.transfers.get(id)?.state, cid)).toBe('paused')
  const stored = Number(await row.getByTestId('transfer-progress').getAttribute('aria-valuenow'))
  expect(stored).toBeGreaterThan(file.size / 5)
  expect(stored).toBeLessThan(file.size)

  // a reload (without the link in the address) restores it paused, showing what is stored, not 0 B
  await bob.page.goto(relay.url)
  await bob.ready()
  await expect(row).toHaveAttribute('data-state', 'paused')
  await expect.poll(async () => Number(await row.getByTestId('transfer-progress').getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(stored)

  // Pause became Resume on the same button; Enter on it goes on
  const resume = row.getByTestId('resume-button')
  await expect(resume).toHaveAccessibleName(/^Resume the download of /)
  await resume.focus()
  await bob.page.keyboard.press('Enter')
  await bob.downloadComplete()
  const result = await bob.page.evaluate(() => globalThis.chiral!.lastDownload!)
  expect(result.blocksLocal).toBeGreaterThan(0) // what arrived before the pause was kept
  expect(result.blocksLocal + result.blocksFetched).toBe(totalBlocks)
  expect(await bob.save()).toEqual({ sha256: file.sha256, name: file.name })
})

test('an invalid CID and an unknown CID get their errors in time', async ({ browser, relay }) => {
  const page = new ChiralPage(await (await browser.newContext()).newPage())
  await page.open(relay.url)
  const error = page.page.getByTestId('error')

  await page.startDownload('this is not a cid')
  await expect(error).toContainText('not a Chiral link or CID', { timeout: 1_000 })

  const unknown = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'
  const started = Date.now()
  await page.startDownload(unknown)
  await expect(error).toContainText('Nobody is sharing this', { timeout: 30_000 })
  expect(Date.now() - started).toBeLessThan(30_000)
  await expect(page.row(unknown)).toHaveAttribute('data-state', 'failed')
  await expect(page.page.getByText('Nobody is sharing this')).toHaveCount(1) // said once, not in the banner and the row

  // after a reload (without the link in the address) it is still failed, with its sentence, not queued again
  await page.page.goto(relay.url)
  await page.ready()
  await expect(page.row(unknown)).toHaveAttribute('data-state', 'failed')
  await expect(page.row(unknown).getByTestId('transfer-error')).toContainText('Nobody is sharing this')
  expect(await page.page.evaluate(cid => globalThis.chiral!.peer.transfers.get(cid)?.state, unknown)).toBe('failed')
})

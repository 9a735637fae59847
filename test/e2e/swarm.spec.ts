import { ChiralPage, makeFile } from './chiral-page.ts'
import { expect, test } from './fixtures.ts'
import { longestStall, marksOf, recordTransfers, whenStored } from './transfer-probe.ts'

const MB = 1024 * 1024
/**
 * Longest pause in progress we accept after a provider's browser is closed.
 * The goal is ~2 s (reported by `npm run bench`); this bound only catches a
 * download that waits for a timeout (the block timeout is 30 s) on a noisy CI machine.
 */
const FAILOVER_STALL_BOUND_MS = 12_000
/** Each sharer's upload cap: the links, not the CPU, are the limit, and a transfer lasts long enough to act in the middle of it. */
const SHARER_UPLOAD_LIMIT = 3 * MB

async function capUpload (page: ChiralPage, bytesPerSecond: number): Promise<void> {
  await page.page.evaluate(limit => { globalThis.chiral!.peer.setUploadLimit(limit) }, bytesPerSecond)
}

async function sourcesOf (page: ChiralPage): Promise<Map<string, number>> {
  const sources = await page.page.evaluate(() => globalThis.chiral!.lastDownload!.sources)
  return new Map(sources.map(s => [s.peer, s.blocks]))
}

test('two providers of one file both serve it', async ({ browser, relay, scratch }) => {
  const open = async (): Promise<ChiralPage> => new ChiralPage(await (await browser.newContext()).newPage())
  const [alice, carol, bob] = [await open(), await open(), await open()]
  await Promise.all([alice, carol, bob].map(async page => page.open(relay.url)))
  await Promise.all([capUpload(alice, SHARER_UPLOAD_LIMIT), capUpload(carol, SHARER_UPLOAD_LIMIT)])
  const file = makeFile(scratch, 'two-sources.bin', 24 * MB)
  const cid = await alice.share(file)
  expect(await carol.share(file)).toBe(cid) // same bytes, same name: same CID
  await bob.startDownload(cid)
  await bob.downloadComplete()
  expect((await bob.save()).sha256).toBe(file.sha256)
  const blocksFrom = await sourcesOf(bob)
  expect(blocksFrom.get(await alice.peerId())).toBeGreaterThan(0)
  expect(blocksFrom.get(await carol.peerId())).toBeGreaterThan(0)
})

test('failover: a provider\'s browser closes mid-download and the other provider finishes it', async ({ browser, relay, scratch }) => {
  const aliceContext = await browser.newContext()
  const alice = new ChiralPage(await aliceContext.newPage())
  const carol = new ChiralPage(await (await browser.newContext()).newPage())
  const bob = new ChiralPage(await (await browser.newContext()).newPage())
  await Promise.all([alice, carol, bob].map(async page => page.open(relay.url)))
  await Promise.all([capUpload(alice, SHARER_UPLOAD_LIMIT), capUpload(carol, SHARER_UPLOAD_LIMIT)])
  const file = makeFile(scratch, 'failover.bin', 32 * MB)
  const cid = await alice.share(file)
  expect(await carol.share(file)).toBe(cid)
  const aliceId = await alice.peerId()
  const carolId = await carol.peerId()

  await recordTransfers(bob.page)
  await bob.startDownload(cid)
  // leave once both are serving and a quarter has arrived (Alice is then owed blocks)
  await bob.page.waitForFunction(({ cid, ids, quarter }) => {
    const last = globalThis.chiralProbe?.marks[cid]?.at(-1)
    return last != null && last.bytes > quarter && ids.every(id => last.sources.some(s => s.peer === id && s.blocks > 0))
  }, { cid, ids: [aliceId, carolId], quarter: file.size / 4 }, { timeout: 60_000, polling: 50 })
  const closedAt = await whenStored(bob.page, cid, 0)
  await aliceContext.close() // the tab (and its WebRTC connections) goes away without a word
  await bob.downloadComplete()
  expect((await bob.save()).sha256).toBe(file.sha256)

  const marks = await marksOf(bob.page, cid)
  const sources = new Map((marks.at(-1)?.sources ?? []).map(s => [s.peer, s.blocks]))
  expect(sources.get(aliceId)).toBeGreaterThan(0)
  expect(sources.get(carolId)).toBeGreaterThan(0)
  const stall = longestStall(marks, closedAt)
  console.log(`failover: longest stall after the provider closed: ${Math.round(stall)} ms`)
  expect(stall).toBeLessThan(FAILOVER_STALL_BOUND_MS)
})

test('a chain: C downloads from A and from B while B is still downloading from A', async ({ browser, relay, scratch }) => {
  const open = async (): Promise<ChiralPage> => new ChiralPage(await (await browser.newContext()).newPage())
  const [a, b, c] = [await open(), await open(), await open()]
  await Promise.all([a, b, c].map(async page => page.open(relay.url)))
  await capUpload(a, SHARER_UPLOAD_LIMIT)
  const file = makeFile(scratch, 'chain.bin', 32 * MB)
  const cid = await a.share(file)

  await recordTransfers(b.page)
  await b.startDownload(cid)
  await whenStored(b.page, cid, file.size / 10)
  // B's progress as C is asked to start (read before the click, so a slow click on a loaded machine does not count)
  const bAtStart = (await marksOf(b.page, cid)).at(-1)?.bytes ?? 0
  const started = Date.now()
  await c.startDownload(cid)
  expect(bAtStart).toBeLessThan(file.size / 2)

  await c.downloadComplete()
  console.log(`chain: C done ${Date.now() - started} ms after it started; B was at ${Math.round(100 * bAtStart / file.size)} % then`)
  expect((await c.save()).sha256).toBe(file.sha256)
  const fromC = await sourcesOf(c)
  expect(fromC.get(await a.peerId())).toBeGreaterThan(0)
  expect(fromC.get(await b.peerId())).toBeGreaterThan(0)
  await b.downloadComplete()
  expect((await b.save()).sha256).toBe(file.sha256)
})

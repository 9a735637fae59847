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

test('two providers of one file both serve it', async ({ browser, relay, scratch }) => {
  const open = async (): Promise<ChiralPage> => new ChiralPage(await (await browser.newContext()).newPage())
  const [alice, carol, bob] = [await open(), await open(), await open()]
  await Promise.all([alice, carol, bob].map(async page => page.open(relay.url)))
  const file = makeFile(scratch, 'two-sources.bin', 24 * MB)
  const cid = await alice.share(file)
  expect(await carol.share(file)).toBe(cid) // same bytes, same name: same CID
  await bob.startDownload(cid)
  await bob.downloadComplete()
  expect((await bob.save()).sha256).toBe(file.sha256)
  const sources = await bob.page.evaluate(() => globalThis.chiral!.lastDownload!.sources)
  const blocksFrom = new Map(sources.map(s => [s.peer, s.blocks]))
  expect(blocksFrom.get(await alice.peerId())).toBeGreaterThan(0)
  expect(blocksFrom.get(await carol.peerId())).toBeGreaterThan(0)
})

test('failover: a provider\'s browser closes mid-download and the other provider finishes it', async ({ browser, relay, scratch }) => {
  const aliceContext = await browser.newContext()
  const alice = new ChiralPage(await aliceContext.newPage())
  const carol = new ChiralPage(await (await browser.newContext()).newPage())
  const bob = new ChiralPage(await (await browser.newContext()).newPage())
  await Promise.all([alice, carol, bob].map(async page => page.open(relay.url)))
  const file = makeFile(scratch, 'failover.bin', 64 * MB)
  const cid = await alice.share(file)
  expect(await carol.share(file)).toBe(cid)
  const aliceId = await alice.peerId()
  const carolId = await carol.peerId()

  await recordTransfers(bob.page)
  await bob.startDownload(cid)
  const closedAt = await whenStored(bob.page, cid, file.size / 4)
  await aliceContext.close() // the tab (and its WebRTC connections) goes away without a word
  await bob.downloadComplete()
  expect((await bob.save()).sha256).toBe(file.sha256)

  const marks = await marksOf(bob.page, cid)
  console.log(JSON.stringify({ aliceId, carolId, first: marks.slice(0, 3), last: marks.at(-1), n: marks.length, closedAt }))
  const sources = new Map((marks.at(-1)?.sources ?? []).map(s => [s.peer, s.blocks]))
  expect(sources.get(aliceId)).toBeGreaterThan(0) // Alice was serving when she left...
  expect(sources.get(carolId)).toBeGreaterThan(0) // ...and Carol took over
  const stall = longestStall(marks, closedAt)
  console.log(`failover: longest stall after the provider closed: ${Math.round(stall)} ms`)
  expect(stall).toBeLessThan(FAILOVER_STALL_BOUND_MS)
})

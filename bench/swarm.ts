/**
 * The swarm rows of `npm run bench`: the same file from one sharer and from
 * two (each sharer's upload capped, so the links and not the CPU are the
 * limit), and a failover (one sharer's browser killed mid-download: the
 * longest stall that follows). Every receiver is a fresh Chromium process.
 */
import { makeFile, type ChiralPage, type TestFile } from '../test/e2e/chiral-page.ts'
import { longestStall } from '../test/e2e/transfer-probe.ts'
import { launchBrowser, type BenchBrowser } from './browsers.ts'
import { openApp } from './chiral-transfer.ts'
import { installMarks } from './page-marks.ts'

const MB = 2 ** 20
const READY_TIMEOUT_MS = 30_000
/** Each sharer's upload cap: well under what two processes on this machine move, so a second sharer can add its own. */
export const SWARM_UPLOAD_LIMIT = 4 * MB
/** The failover kills the first sharer once this fraction is stored. */
const FAILOVER_AT = 0.25

export interface SwarmRun {
  run: number
  mb: number
  uploadLimitMBps: number
  /** One capped sharer. */
  oneProviderMbps: number
  /** Two capped sharers of the same file. */
  twoProvidersMbps: number
  speedup: number
  /** Blocks each sharer sent in the two-provider download. */
  twoProviderBlocks: number[]
  /** Longest time without progress after one of two sharers' browser was killed. */
  failoverStallMs: number
  failoverMbps: number
}

interface Timed {
  seconds: number
  sha256: string
  sources: Array<{ peer: string, blocks: number }>
  /** [page ms, bytes] progress marks. */
  marks: Array<[number, number]>
  killedAt?: number
}

export async function runSwarmScenario (opts: { url: string, scratch: string, mb: number, runs: number, log: (line: string) => void }): Promise<SwarmRun[]> {
  const file = makeFile(opts.scratch, `chiral-swarm-${opts.mb}MB.bin`, Math.round(opts.mb * MB))
  const runs: SwarmRun[] = []
  for (let run = 1; run <= opts.runs; run++) {
    const r = await runOnce(opts, run, file)
    runs.push(r)
    opts.log(`swarm run ${run}/${opts.runs} (${opts.mb} MB, sharers capped at ${r.uploadLimitMBps} MB/s): one ${r.oneProviderMbps.toFixed(2)} MB/s, ` +
      `two ${r.twoProvidersMbps.toFixed(2)} MB/s (x${r.speedup.toFixed(2)}, blocks ${r.twoProviderBlocks.join('/')}), failover stall ${r.failoverStallMs.toFixed(0)} ms`)
  }
  return runs
}

async function runOnce (opts: { url: string, scratch: string, mb: number }, run: number, file: TestFile): Promise<SwarmRun> {
  const browsers: BenchBrowser[] = []
  const launched = new Map<ChiralPage, BenchBrowser>()
  const launch = async (name: string): Promise<ChiralPage> => {
    const browser = await launchBrowser(opts.scratch, name)
    browsers.push(browser)
    const page = await browser.newPage()
    await installMarks(page)
    const chiral = (await openApp(page, opts.url, READY_TIMEOUT_MS)).chiral
    launched.set(chiral, browser)
    return chiral
  }
  // a receiver seeds what it downloaded: it must be gone before the next row, or that row has an extra, uncapped sharer
  const downloadAndLeave = async (name: string, cid: string, midway?: () => Promise<void>): Promise<Timed> => {
    const receiver = await launch(name)
    const timed = await download(receiver, cid, file, midway)
    await launched.get(receiver)?.context.close()
    return timed
  }
  try {
    const first = await launch('sharer-1')
    const second = await launch('sharer-2')
    for (const sharer of [first, second]) await sharer.page.evaluate(limit => { globalThis.chiral!.peer.setUploadLimit(limit) }, SWARM_UPLOAD_LIMIT)
    const cid = await first.share(file)

    const one = await downloadAndLeave('receiver-1', cid)
    if ((await second.share(file)) !== cid) throw new Error('the second sharer got another CID for the same file')
    const two = await downloadAndLeave('receiver-2', cid)
    if (two.sources.length > 2) throw new Error(`the two-sharer download had ${two.sources.length} sources`)
    const failover = await downloadAndLeave('receiver-3', cid, async () => {
      await launched.get(first)?.context.close() // the first sharer's browser goes away without a word
    })
    const mbps = (t: Timed): number => file.size / MB / t.seconds
    return {
      run,
      mb: opts.mb,
      uploadLimitMBps: SWARM_UPLOAD_LIMIT / MB,
      oneProviderMbps: mbps(one),
      twoProvidersMbps: mbps(two),
      speedup: one.seconds / two.seconds,
      twoProviderBlocks: two.sources.map(s => s.blocks),
      failoverStallMs: longestStall(failover.marks.map(([at, bytes]) => ({ at, bytes })), failover.killedAt ?? 0),
      failoverMbps: mbps(failover)
    }
  } finally {
    await Promise.all(browsers.map(async b => b.close().catch(() => {})))
  }
}

/**
 * Download through the core API in the page (timed on the page's clock, from
 * the call to the last block stored), SHA-256 of the result checked;
 * `midway` runs once FAILOVER_AT of the file is stored.
 */
async function download (receiver: ChiralPage, cid: string, file: TestFile, midway?: () => Promise<void>): Promise<Timed> {
  const page = receiver.page
  await page.evaluate(({ cid, at }) => {
    const state = { marks: [] as Array<[number, number]>, reached: false, done: undefined as unknown }
    ;(globalThis as unknown as { swarmBench: typeof state }).swarmBench = state
    const t0 = performance.now()
    state.done = globalThis.chiral!.peer.download(cid, {
      onProgress: p => {
        state.marks.push([performance.now(), p.bytes])
        if (p.totalBytes != null && p.bytes >= p.totalBytes * at) state.reached = true
      }
    }).then(async result => {
      const seconds = (performance.now() - t0) / 1000
      const parts: Uint8Array[] = []
      for await (const part of globalThis.chiral!.peer.read(cid, result.files[0]!.path)) parts.push(part)
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await new Blob(parts as BlobPart[]).arrayBuffer()))
      return { seconds, sha256: [...digest].map(b => b.toString(16).padStart(2, '0')).join(''), sources: result.sources.map(s => ({ peer: s.peer, blocks: s.blocks })) }
    })
  }, { cid, at: FAILOVER_AT })
  let killedAt: number | undefined
  if (midway != null) {
    await page.waitForFunction(() => (globalThis as unknown as { swarmBench: { reached: boolean } }).swarmBench.reached, undefined, { timeout: 300_000, polling: 20 })
    killedAt = await page.evaluate(() => performance.now())
    await midway()
  }
  const result = await page.evaluate(async () => {
    const state = (globalThis as unknown as { swarmBench: { done: Promise<{ seconds: number, sha256: string, sources: Array<{ peer: string, blocks: number }> }>, marks: Array<[number, number]> } }).swarmBench
    return { ...(await state.done), marks: state.marks }
  })
  if (result.sha256 !== file.sha256) throw new Error(`the downloaded file differs from the source (sha256 ${result.sha256} ≠ ${file.sha256})`)
  return { ...result, killedAt }
}

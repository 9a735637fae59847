import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from '@playwright/test'
import { makeFile } from '../test/e2e/chiral-page.ts'
import { blankPage, launchBrowser, type BenchBrowser } from './browsers.ts'
import { downloadWhileConnected, type ConnectedDownload } from './connected-download.ts'
import { downloadFile, openApp, shareFile, type ImportResult, type TransferResult } from './chiral-transfer.ts'
import { blockChannel, libp2pStream, storagePath, type LayerResult } from './decompose.ts'
import { measureIdbCeiling } from './idb-ceiling.ts'
import { probeFindProviders, probeProvide, type FindProbe } from './latency.ts'
import { installMarks, readMarks } from './page-marks.ts'
import { measureRawChannel, type RawChannelResult } from './raw-channel.ts'
import { startSampler, stopSampler, windowSeries, type ByteSeries } from './throughput-samples.ts'
import { measureWebTorrent, type WebTorrentResult } from './webtorrent.ts'
import type { SelfTime } from './profile.ts'
import type { Resolve } from './source-names.ts'

const MB = 2 ** 20
const READY_TIMEOUT_MS = 30_000
const PROVIDE_PROBES_PER_RUN = 3
/** The connected-case file: small, so its time is the first block's, not the transfer's. */
const CONNECTED_FILE_BYTES = MB

/** Everything measured in one run (fresh browsers, fresh IndexedDB) for one file size. */
export interface RunResult {
  run: number
  mb: number
  raw: RawChannelResult
  idbCeiling: { mbps: number, seconds: number }
  import: ImportResult
  transfer: Omit<TransferResult, 'profiles'>
  /** The decomposition's middle layers, same processes, right after the transfer (bench/decompose.ts). */
  layers?: { storagePath: LayerResult, libp2pStream: LayerResult, blockChannel: LayerResult }
  /** A second, small download from the sender the receiver is already connected to. */
  connected?: ConnectedDownload
  readyMs: { sender: number, receiver: number }
  provideMs: number[]
  find?: FindProbe
  profiles?: { sender: SelfTime[], receiver: SelfTime[] }
  /** The same file over WebTorrent 3 in the same two processes (unless --no-webtorrent). */
  webtorrent?: Omit<WebTorrentResult, 'samples'>
  /** Bytes received over each timed window, sampled in the receiving page (for the chart). */
  throughput: { raw?: ByteSeries, chiral?: ByteSeries, webtorrent?: ByteSeries }
}

export interface ScenarioOptions {
  url: string
  scratch: string
  mb: number
  runs: number
  warmupMB: number
  /** Run the provide/findProviders probes (once per run) with this browser for the third peer. */
  probeBrowser?: Browser
  profile: boolean
  /** An extra run with a Chrome trace of both pages (bench/trace.ts). */
  trace: boolean
  /** Also move the file with WebTorrent (not in the profiled run). */
  webtorrent: boolean
  /** Names minified profile positions (see source-names.ts). */
  resolveSource?: Resolve
  /** Where CPU profiles go (bench/results). */
  resultsDir: string
  log: (line: string) => void
}

export async function runScenario (opts: ScenarioOptions): Promise<ScenarioResult> {
  const bytes = Math.round(opts.mb * MB)
  opts.log(`generating a ${opts.mb} MB random file`)
  const file = makeFile(opts.scratch, `chiral-bench-${opts.mb}MB.bin`, bytes)
  const results: RunResult[] = []
  let profiles: RunResult['profiles']
  try {
    for (let run = 1; run <= opts.runs; run++) {
      const r = await runOnce(opts, run, file, false)
      results.push(r)
      opts.log(`run ${run}/${opts.runs} (${opts.mb} MB): raw ${r.raw.mbps.toFixed(1)} MB/s (${r.raw.cpuMsPerMB.toFixed(0)} ms/MB), ` +
        (r.layers == null ? '' : `raw+storage ${r.layers.storagePath.mbps.toFixed(1)} (${r.layers.storagePath.cpuMsPerMB.toFixed(0)}), ` +
          `libp2p stream ${r.layers.libp2pStream.mbps.toFixed(1)} (${r.layers.libp2pStream.cpuMsPerMB.toFixed(0)}), ` +
          `block channel ${r.layers.blockChannel.mbps.toFixed(1)} (${r.layers.blockChannel.cpuMsPerMB.toFixed(0)}), `) +
        `chiral ${r.transfer.mbps.toFixed(1)} MB/s (${r.transfer.cpuMsPerMB.toFixed(0)}), ` +
        (r.webtorrent == null ? '' : `webtorrent ${r.webtorrent.mbps.toFixed(1)} MB/s (${r.webtorrent.cpuMsPerMB.toFixed(0)}), `) +
        `import ${r.import.mbps.toFixed(1)} / IDB ${r.idbCeiling.mbps.toFixed(1)} MB/s, first block ${r.transfer.firstBlockMs.toFixed(0)} ms (DHT+dial) / ${r.connected?.firstBlockMs.toFixed(0) ?? '-'} ms (connected), ` +
        `ready ${r.readyMs.sender.toFixed(0)}/${r.readyMs.receiver.toFixed(0)} ms, other CPU ${r.raw.otherCpuPct.toFixed(0)}%/${r.transfer.otherCpuPct.toFixed(0)}%`)
    }
    if (opts.profile) {
      // an extra run: the profiler's own cost must not touch the measured ones
      opts.log('an extra, unmeasured run with the CPU profiler on both pages')
      profiles = (await runOnce(opts, opts.runs + 1, file, true)).profiles
    }
    if (opts.trace) {
      opts.log('an extra, unmeasured run with a Chrome trace of both pages')
      await runOnce(opts, opts.runs + 2, file, false, true)
    }
  } finally {
    rmSync(file.path, { force: true })
  }
  return { runs: results, profiles }
}

export interface ScenarioResult {
  runs: RunResult[]
  /** From the extra profiled run (with --profile). */
  profiles?: RunResult['profiles']
}

async function runOnce (opts: ScenarioOptions, run: number, file: ReturnType<typeof makeFile>, profile: boolean, trace = false): Promise<RunResult> {
  const [a, b] = await Promise.all([launchBrowser(opts.scratch, 'sender'), launchBrowser(opts.scratch, 'receiver')])
  const pids: [number, number] = [a.pid, b.pid]
  try {
    // 1. the ceiling: a raw data channel between the same two processes
    const [rawA, rawB] = [await blankPage(a, opts.url), await blankPage(b, opts.url)]
    await startSampler(rawB, 'raw')
    const raw = await measureRawChannel({ sender: rawA, receiver: rawB, pids, mb: opts.mb, warmupMB: opts.warmupMB })
    const throughput: RunResult['throughput'] = { raw: windowSeries(await stopSampler(rawB), raw.window.start, raw.window.end, file.size) }
    await rawA.close()
    await rawB.close()

    // 1b. WebTorrent, right after the raw channel and before the app opens: each process
    // then holds only WebTorrent's page, as it held only the raw channel's (no idle app peers)
    let webtorrent: RunResult['webtorrent']
    if (opts.webtorrent && !profile) {
      const { samples, ...result } = await measureWebTorrent({ sender: a, receiver: b, pids, file, timeoutMs: Math.max(120_000, opts.mb * 2_000) })
      webtorrent = result
      throughput.webtorrent = samples
    }

    // 2. the app in both processes, one after the other so each ready time is its own
    const sender = await appPage(a, opts.url)
    const receiver = await appPage(b, opts.url)

    // 3. import, beside its ceiling: the same bytes into IndexedDB alone, same page
    const idbCeiling = await measureIdbCeiling(sender.chiral.page, file.path)
    const shared = await shareFile(sender.chiral, file)

    // 4. the download, pressed on a receiver that has never talked to the sender
    await startSampler(receiver.chiral.page, 'chiral')
    const transfer = await downloadFile({
      sender: sender.chiral,
      receiver: receiver.chiral,
      pids,
      file,
      cid: shared.cid,
      timeoutMs: Math.max(120_000, opts.mb * 2_000),
      verify: true,
      profile,
      trace,
      resultsDir: opts.resultsDir
    })
    const { profiles, ...transferResult } = transfer
    const chiralSamples = await stopSampler(receiver.chiral.page)
    const [marks, timeOrigin] = await Promise.all([readMarks(receiver.chiral.page), receiver.chiral.page.evaluate(() => performance.timeOrigin)])
    if (marks.downloadPressed != null && marks.complete != null) {
      throughput.chiral = windowSeries(chiralSamples, timeOrigin + marks.downloadPressed, timeOrigin + marks.complete, file.size)
    }
    if (profiles != null) {
      mkdirSync(opts.resultsDir, { recursive: true })
      writeFileSync(join(opts.resultsDir, 'sender.cpuprofile'), JSON.stringify(profiles.sender.profile))
      writeFileSync(join(opts.resultsDir, 'receiver.cpuprofile'), JSON.stringify(profiles.receiver.profile))
    }

    // 5. the connected case: a fresh small share, downloaded over the direct connection the main download left open
    const small = makeFile(opts.scratch, `chiral-bench-connected-${run}.bin`, CONNECTED_FILE_BYTES)
    let connected: ConnectedDownload
    try {
      connected = await downloadWhileConnected({ sender: sender.chiral, receiver: receiver.chiral, file: small, timeoutMs: 30_000 })
    } finally {
      rmSync(small.path, { force: true })
    }

    // 6. the layers between the raw channel and Chiral, in the same pages and processes
    const layerOptions = { sender: sender.chiral.page, receiver: receiver.chiral.page, pids, mb: opts.mb }
    // once per run of the main size (the 1 GB set would triple its time)
    const layers = opts.probeBrowser == null ? undefined : { libp2pStream: await libp2pStream(layerOptions), blockChannel: await blockChannel(layerOptions), storagePath: await storagePath(layerOptions) }

    // 7. latency probes: DHT provide from the sender, findProviders from a third, unconnected peer
    const provideMs: number[] = []
    let find: FindProbe | undefined
    if (opts.probeBrowser != null) {
      let probeCid = ''
      for (let i = 0; i < PROVIDE_PROBES_PER_RUN; i++) {
        const probe = await probeProvide(sender.chiral.page)
        provideMs.push(probe.provideMs)
        probeCid = probe.cid
      }
      const context = await opts.probeBrowser.newContext()
      try {
        const page = await context.newPage()
        await installMarks(page)
        await openApp(page, opts.url, READY_TIMEOUT_MS)
        find = await probeFindProviders(page, probeCid)
      } finally {
        await context.close()
      }
    }
    return {
      run,
      mb: opts.mb,
      raw,
      idbCeiling,
      import: shared.import,
      transfer: transferResult,
      layers,
      connected,
      readyMs: { sender: sender.readyMs, receiver: receiver.readyMs },
      provideMs,
      find,
      webtorrent,
      throughput,
      profiles: profiles == null ? undefined : { sender: profiles.sender.topSelf(15, opts.resolveSource), receiver: profiles.receiver.topSelf(15, opts.resolveSource) }
    }
  } finally {
    await Promise.all([a.close(), b.close()])
  }
}

async function appPage (browser: BenchBrowser, url: string): Promise<Awaited<ReturnType<typeof openApp>>> {
  const page = await browser.newPage()
  await installMarks(page)
  return openApp(page, url, READY_TIMEOUT_MS)
}

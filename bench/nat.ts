/**
 * `sudo npm run bench:nat [-- --mb N --runs N]`: in the NAT lab (test/nat), for
 * every network case, Chiral (through its UI) beside a plain RTCDataChannel
 * between the same two browsers with the same ICE servers: the candidate pair
 * each used, time to the first verified block, and MB/s. Not a test: it
 * reports, it does not judge. Writes bench/results/nat-latest.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { buildApp, isBuildStale } from '../relay/build.ts'
import { ChiralPage, makeFile } from '../test/e2e/chiral-page.ts'
import { NAT_CASES, type PathCase } from '../test/nat/cases.ts'
import { launchInNamespace, type NamespaceBrowser } from '../test/nat/namespace-browser.ts'
import { startStandardLab, type StandardLab } from '../test/nat/standard-lab.ts'
import { installMarks, readMarks } from './page-marks.ts'
import { RawChannel } from './raw-channel.ts'
import { round, stat } from './stats.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const { values } = parseArgs({ options: { mb: { type: 'string', default: '32' }, runs: { type: 'string', default: '3' } } })
const MB = Number(values.mb)
const RUNS = Number(values.runs)
/** Moved over the raw channel before timing it (the first transfer on a new connection stalls now and then). */
const WARMUP_MB = 4

interface Sample { pair: string, firstBlockMs: number, mbps: number, rawPair?: string, rawMbps?: number }

if (process.getuid?.() !== 0) {
  console.error('bench:nat needs root (network namespaces): sudo npm run bench:nat')
  process.exit(2)
}
if (await isBuildStale(root)) await buildApp(root)
process.chdir(root)

async function measure (lab: StandardLab, natCase: PathCase, scratch: string): Promise<Sample> {
  const browsers: NamespaceBrowser[] = []
  try {
    const launch = async (home: string, host: number): Promise<ChiralPage> => {
      const browser = await launchInNamespace(lab.lab.home(home).hostNs[host - 1]!, lab.browserOptions)
      browsers.push(browser)
      return new ChiralPage(browser.context.pages()[0] ?? await browser.context.newPage())
    }
    const sharer = await launch(natCase.sharer.home, natCase.sharer.host)
    const downloader = await launch(natCase.downloader.home, natCase.downloader.host)
    await installMarks(downloader.page)
    await Promise.all([sharer.open(lab.relay.url), downloader.open(lab.relay.url)])
    const file = makeFile(scratch, 'bench.bin', MB * 2 ** 20)
    await downloader.startDownload(await sharer.share(file))
    await downloader.downloadComplete()
    const marks = await readMarks(downloader.page)
    const pair = await downloader.page.getByTestId('transfer-path').getAttribute('data-candidates') ?? '?'
    const sample: Sample = {
      pair,
      firstBlockMs: marks.firstBytes! - marks.downloadPressed!,
      mbps: file.size / 1e6 / ((marks.complete! - marks.firstBytes!) / 1000)
    }
    // the same two browsers, a plain data channel, the relay's ICE servers (fresh TURN credentials)
    const iceServers = await downloader.page.evaluate(async () => (await (await fetch('/bootstrap.json')).json()).iceServers as RTCIceServer[])
    const raw = await RawChannel.connect(sharer.page, downloader.page, iceServers)
    try {
      await raw.move(WARMUP_MB * 2 ** 20)
      const { start, end } = await raw.move(MB * 2 ** 20)
      sample.rawMbps = MB * 2 ** 20 / 1e6 / ((end - start) / 1000)
      sample.rawPair = await raw.candidatePair('receiver')
    } finally {
      await raw.close()
    }
    return sample
  } finally {
    await Promise.all(browsers.map(async b => b.close()))
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'chiral-bench-nat-'))
const lab = await startStandardLab()
const results: Array<{ case: string, runs: Sample[] }> = []
try {
  for (const natCase of NAT_CASES) {
    if (!('expect' in natCase)) continue
    const runs: Sample[] = []
    for (let i = 0; i < RUNS; i++) {
      runs.push(await measure(lab, natCase, scratch))
      console.error(`[bench:nat] ${natCase.name} run ${i + 1}: ${JSON.stringify(runs.at(-1))}`)
    }
    results.push({ case: natCase.name, runs })
  }
} finally {
  await lab.stop()
  rmSync(scratch, { recursive: true, force: true })
}

const fmt = (s: ReturnType<typeof stat>, digits = 1): string => s == null ? '–' : `${round(s.median, digits)} (${round(s.min, digits)}–${round(s.max, digits)})`
console.log(`\nNAT lab, ${MB} MB, medians of ${RUNS} (min–max); pairs as local/remote candidate types seen by the downloader\n`)
console.log('| case | Chiral pair | first block ms | Chiral MB/s | plain WebRTC pair | plain MB/s |')
console.log('|---|---|---|---|---|---|')
for (const r of results) {
  const pairs = [...new Set(r.runs.map(s => s.pair))].join(', ')
  const rawPairs = [...new Set(r.runs.map(s => s.rawPair ?? '?'))].join(', ')
  console.log(`| ${r.case} | ${pairs} | ${fmt(stat(r.runs.map(s => s.firstBlockMs)), 0)} | ${fmt(stat(r.runs.map(s => s.mbps)))} | ${rawPairs} | ${fmt(stat(r.runs.map(s => s.rawMbps)))} |`)
}
const resultsDir = join(root, 'bench', 'results')
mkdirSync(resultsDir, { recursive: true })
writeFileSync(join(resultsDir, 'nat-latest.json'), JSON.stringify({ at: new Date().toISOString(), mb: MB, runs: RUNS, results }, null, 2) + '\n')

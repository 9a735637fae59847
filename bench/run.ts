/**
 * `npm run bench`: Chiral against the physical ceilings of this machine, side by
 * side in one run (see bench/README.md). Not a test: it reports, it does not judge.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from '@playwright/test'
import { buildApp, DIST_DIR } from '../relay/build.ts'
import { CHROMIUM_ARGS, chromiumExecutable } from '../test/e2e/browser.ts'
import { startRelay } from '../test/e2e/relay-process.ts'
import { parseBenchArgs, USAGE } from './args.ts'
import { bundleSize } from './bundle.ts'
import { describeMachine } from './machine.ts'
import { goals, summarize, table, type SizeSummary } from './report.ts'
import { medianRun, runChart } from './run-chart.ts'
import { runScenario, type RunResult } from './scenario.ts'
import { sourceResolver } from './source-names.ts'
import { summarizeSwarm, swarmGoals, swarmTable } from './swarm-report.ts'
import { runSwarmScenario, type SwarmRun } from './swarm.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const resultsDir = join(root, 'bench', 'results')

const args = parseBenchArgs(process.argv.slice(2))
if (args === 'help') {
  console.log(USAGE)
  process.exit(0)
}
process.chdir(root) // the relay is started as `relay/start.ts` relative to the project
const log = (line: string): void => { console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`) }

const machine = describeMachine()
log(`machine: ${machine.cores} cores, ${machine.memoryGB} GB, ${machine.chromium}, Node ${machine.node}`)
if (args.build) {
  log('building the app (vite build)')
  await buildApp(root)
}
const bundle = bundleSize(join(root, DIST_DIR))
const resolveSource = args.profile ? await sourceResolver(root, join(root, DIST_DIR), log) : undefined

const scratch = mkdtempSync(join(tmpdir(), 'chiral-bench-'))
const relay = await startRelay()
log(`relay at ${relay.url}`)
const probeBrowser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS, headless: true })
const perSize: Array<{ summary: SizeSummary, runs: RunResult[], profiles?: RunResult['profiles'] }> = []
let swarmRuns: SwarmRun[] = []
try {
  for (const mb of args.large && args.mb !== args.largeMB ? [args.mb, args.largeMB] : [args.mb]) {
    const { runs, profiles } = await runScenario({
      url: relay.url,
      scratch,
      mb,
      runs: args.runs,
      warmupMB: args.warmupMB,
      probeBrowser: mb === args.mb ? probeBrowser : undefined, // latency probes once per run, not again for 1 GB
      profile: args.profile && mb === args.mb,
      trace: args.trace && mb === args.mb,
      webtorrent: args.webtorrent && mb === args.mb, // in-memory stores: not for the 1 GB set
      resolveSource,
      resultsDir,
      log
    })
    perSize.push({ summary: summarize(mb, runs), runs, profiles })
  }
  if (args.swarm) swarmRuns = await runSwarmScenario({ url: relay.url, scratch, mb: args.swarmMB, runs: args.runs, log })
} finally {
  await probeBrowser.close().catch(() => {})
  await relay.stop()
  rmSync(scratch, { recursive: true, force: true })
}

const main = perSize[0]!.summary
const large = perSize.find(p => p.summary.mb === args.largeMB && p !== perSize[0])?.summary
const swarm = swarmRuns.length > 0 ? summarizeSwarm(swarmRuns) : null
const when = new Date()
const result = {
  date: when.toISOString(),
  machine,
  config: { runs: args.runs, mb: args.mb, large: args.large, largeMB: args.largeMB, warmupMB: args.warmupMB, built: args.build },
  transfer: main.transfer,
  layers: main.layers,
  webtorrent: main.webtorrent,
  vsWebTorrent: main.vsWebTorrent,
  import: main.import,
  latency: main.latency,
  memory: {
    ...main.memory,
    mb: main.mb,
    large: large == null ? null : { mb: large.mb, ...large.memory }
  },
  bundle: { gzipKB: Math.round(bundle.gzipKB * 10) / 10, rawKB: Math.round(bundle.rawKB * 10) / 10, files: bundle.files, serviceWorkerGzipKB: Math.round(bundle.serviceWorkerGzipKB * 10) / 10, shellGzipKB: Math.round(bundle.shellGzipKB * 10) / 10, peerGzipKB: Math.round(bundle.peerGzipKB * 10) / 10 },
  noise: main.noise,
  goals: [...goals(main, large), ...(swarm == null ? [] : swarmGoals(swarm))],
  swarm,
  large: large == null ? null : { mb: large.mb, transfer: large.transfer, import: large.import, memory: large.memory, noise: large.noise },
  stats: Object.fromEntries(perSize.map(p => [`${p.summary.mb}MB`, p.summary.stats])),
  runs: Object.fromEntries(perSize.map(p => [`${p.summary.mb}MB`, p.runs.map(r => ({ ...r, profiles: undefined }))])),
  swarmRuns,
  profile: perSize[0]!.profiles ?? null,
  notes: [
    'MB = 2^20 bytes; medians are the main numbers, per-run values under runs, median/min/max under stats.',
    'transfer: download pressed to transfer-state "complete" on a receiver with no prior connection (includes DHT lookup and WebRTC dial); every run saved and SHA-256-checked.',
    'transfer.ceilingMbps: raw ordered RTCDataChannel between the same two Chromium processes, 256 KiB messages, bufferedAmount kept under 4 MiB, after a warm-up.',
    'import: file-input "change" to share-state "Announcing" (File → blocks → DAG → IndexedDB), in the page; ceiling: the same File sliced into IndexedDB alone (64 puts per transaction).',
    'latency.firstBlockMs (DHT + dial case; the field name is kept from earlier results): Download pressed on a receiver never connected to the sender → the first verified data block, taken from the peer\'s progress event in the page (exact; earlier results used the UI progress bar, per run as transfer.firstBlockUiMs). Includes the DHT findProviders and the WebRTC dial.',
    'latency.firstBlockConnectedMs: after the main download (the receiver still holds its direct WebRTC connection to the sender) the sender shares a fresh 1 MB file and the receiver downloads it through the UI: Download pressed → first verified data block, timed the same way; SHA-256-checked.',
    'cpuMsPerMB: utime+stime of both browser process trees (/proc) during the timed window, per MB; transfer.cpuRatio: Chiral\'s over the raw channel\'s, per run.',
    'layers (bench/decompose.ts, docs/performance.md): in the same app pages right after the download, (b) the raw channel carrying blocks read from Chiral\'s IndexedDB, hashed and written on arrival, (c) block-sized frames over a libp2p stream on the same direct WebRTC connection, nothing stored, and (c\') the same frames on a negotiated data channel of that connection (a block channel of our own), nothing stored.',
    main.latency.findProvidersMethod === 'peer.findProviders'
      ? 'latency.findProvidersMs: peer.findProviders to the first provider, from a third, unconnected peer.'
      : 'latency.findProvidersMs is an UPPER BOUND: Peer exposes no DHT query, so it is a tiny download from a third, unconnected peer timed to its first "transferring" progress (findProviders + WebRTC dial + stream).',
    'swarm: the same file from one sharer, then from two, each sharer\'s upload capped (peer.setUploadLimit) so links, not CPU, limit; then one of the two sharers\' browser killed at 25 %: failoverStallMs is the longest time without progress after that. Fresh receiver process each time, SHA-256 checked, timed in the page (peer.download).',
    'webtorrent: WebTorrent 3 (browser bundle) in the same two Chromium processes, right after the raw channel: seeded from a file input, added by magnet; WebSocket tracker in the bench process only (no DHT/LSD/uTP/web seeds, every RTCPeerConnection checked to have no ICE servers); in-memory chunk stores; client.add to "done"; SHA-256-checked. vsWebTorrent.ratio = Chiral MB/s / WebTorrent MB/s (medians).',
    'noise.*: CPU used by everything else on the machine (other processes, the bench driver, the relay) during the timed windows, % of all cores.'
  ]
}

mkdirSync(resultsDir, { recursive: true })
const json = JSON.stringify(result, null, 2)
writeFileSync(join(resultsDir, 'latest.json'), json)
writeFileSync(join(resultsDir, `${when.toISOString().replaceAll(':', '-')}.json`), json)
const chartRun = medianRun(perSize[0]!.runs)
const chartPaths = chartRun == null ? [] : [join(resultsDir, 'throughput.svg'), ...(args.chart == null ? [] : [resolve(process.env.INIT_CWD ?? root, args.chart)])]
for (const path of chartPaths) {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, runChart(chartRun!, machine, args.runs))
}

console.log(table(machine, perSize.map(p => p.summary), bundle))
if (swarm != null) console.log(swarmTable(swarm))
if (result.profile != null) {
  for (const role of ['receiver', 'sender'] as const) {
    console.log(`\nTop self time (% of busy time), ${role} page during an extra ${args.mb} MB transfer (CDP Profiler; bench/results/${role}.cpuprofile):`)
    for (const f of result.profile[role]) console.log(`  ${String(f.selfMs).padStart(6)} ms ${f.percent.toFixed(1).padStart(5)}%  ${f.name}  ${f.source ?? f.where}`)
  }
}
console.log(`\nGoals (medians; reported, not enforced):`)
for (const g of result.goals) console.log(`  ${g.metric} ${g.goal}: ${g.value ?? 'n/a'} → ${g.status}`)
console.log(`\nWrote ${join('bench', 'results', 'latest.json')} and a timestamped copy${chartPaths.length > 0 ? `; throughput chart (run ${chartRun!.run}) in ${chartPaths.join(', ')}` : ''}.`)

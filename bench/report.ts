import { round, stat, type Stat } from './stats.ts'
import type { Machine } from './machine.ts'
import type { RunResult } from './scenario.ts'
import { decomposeRows, decomposeSeries, GOAL_CPU_RATIO, GOAL_TRANSFER_RATIO, summarizeLayers, type LayersSummary } from './decompose-report.ts'
import { summarizeWebTorrent, webTorrentGoals, webTorrentRows, webTorrentSeries, type WebTorrentSummary } from './webtorrent-report.ts'

/** One size's figures: medians as the main numbers (the JSON fields of the issue). */
export interface SizeSummary {
  mb: number
  transfer: { mbps: number | null, ceilingMbps: number | null, ratio: number | null, cpuMsPerMB: number | null, ceilingCpuMsPerMB: number | null, cpuRatio: number | null, firstBlockMs: number | null, verifiedRuns: number, directRuns: number }
  import: { mbps: number | null, ceilingMbps: number | null, ratio: number | null }
  memory: { senderPeakHeapMB: number | null, receiverPeakHeapMB: number | null, senderPeakHeapWithBuffersMB: number | null, receiverPeakHeapWithBuffersMB: number | null }
  latency: { readyMs: number | null, firstBlockMs: number | null, firstBlockConnectedMs: number | null, provideMs: number | null, findProvidersMs: number | null, findProvidersMethod: string | null }
  noise: { otherCpuPctRaw: number | null, otherCpuPctTransfer: number | null, relayCpuMsDuringTransfer: number | null }
  /** The decomposition's middle layers (main size only). */
  layers: LayersSummary | null
  /** null when not measured (--no-webtorrent, or the --large set) */
  webtorrent: WebTorrentSummary | null
  vsWebTorrent: { ratio: number | null } | null
  stats: Record<string, Stat | null>
}

export function summarize (mb: number, runs: RunResult[]): SizeSummary {
  const series: Record<string, Array<number | null | undefined>> = {
    'transfer.mbps': runs.map(r => r.transfer.mbps),
    'transfer.ceilingMbps': runs.map(r => r.raw.mbps),
    'transfer.ratio': runs.map(r => r.transfer.mbps / r.raw.mbps),
    'transfer.cpuMsPerMB': runs.map(r => r.transfer.cpuMsPerMB),
    'transfer.ceilingCpuMsPerMB': runs.map(r => r.raw.cpuMsPerMB),
    'import.mbps': runs.map(r => r.import.mbps),
    'import.ceilingMbps': runs.map(r => r.idbCeiling.mbps),
    'import.ratio': runs.map(r => r.import.mbps / r.idbCeiling.mbps),
    'latency.readyMs': runs.flatMap(r => [r.readyMs.sender, r.readyMs.receiver]),
    'latency.firstBlockMs': runs.map(r => r.transfer.firstBlockMs),
    'latency.firstBlockConnectedMs': runs.map(r => r.connected?.firstBlockMs),
    'latency.provideMs': runs.flatMap(r => r.provideMs),
    'latency.findProvidersMs': runs.map(r => r.find?.findProvidersMs),
    'memory.senderPeakHeapMB': runs.map(r => r.transfer.senderPeakHeapMB),
    'memory.receiverPeakHeapMB': runs.map(r => r.transfer.receiverPeakHeapMB),
    'memory.senderPeakHeapWithBuffersMB': runs.map(r => r.transfer.senderPeakHeapWithBuffersMB),
    'memory.receiverPeakHeapWithBuffersMB': runs.map(r => r.transfer.receiverPeakHeapWithBuffersMB),
    'noise.otherCpuPctRaw': runs.map(r => r.raw.otherCpuPct),
    'noise.otherCpuPctTransfer': runs.map(r => r.transfer.otherCpuPct),
    'noise.relayCpuMsDuringTransfer': runs.map(r => r.transfer.relayCpuMs),
    ...decomposeSeries(runs),
    ...(runs.some(r => r.webtorrent != null) ? webTorrentSeries(runs) : {})
  }
  const stats: Record<string, Stat | null> = {}
  for (const [key, values] of Object.entries(series)) {
    const s = stat(values)
    stats[key] = s == null ? null : { median: round(s.median, 2)!, min: round(s.min, 2)!, max: round(s.max, 2)!, n: s.n }
  }
  const m = (key: string, digits = 1): number | null => round(stat(series[key] ?? [])?.median, digits)
  const mbps = stat(series['transfer.mbps']!)?.median
  const ceiling = stat(series['transfer.ceilingMbps']!)?.median
  const importMbps = stat(series['import.mbps']!)?.median
  const idb = stat(series['import.ceilingMbps']!)?.median
  return {
    mb,
    transfer: {
      mbps: m('transfer.mbps'),
      ceilingMbps: m('transfer.ceilingMbps'),
      // = mbps / ceilingMbps of the medians; per-run ratios are in stats
      ratio: mbps != null && ceiling != null ? round(mbps / ceiling, 3) : null,
      cpuMsPerMB: m('transfer.cpuMsPerMB'),
      ceilingCpuMsPerMB: m('transfer.ceilingCpuMsPerMB'),
      // Chiral's CPU per MB over the raw channel's, per run, median
      cpuRatio: m('transfer.cpuRatio', 2),
      firstBlockMs: m('latency.firstBlockMs', 0),
      verifiedRuns: runs.filter(r => r.transfer.verified).length,
      directRuns: runs.filter(r => r.transfer.direct).length
    },
    import: {
      mbps: m('import.mbps'),
      ceilingMbps: m('import.ceilingMbps'),
      ratio: importMbps != null && idb != null ? round(importMbps / idb, 3) : null
    },
    memory: {
      senderPeakHeapMB: m('memory.senderPeakHeapMB'),
      receiverPeakHeapMB: m('memory.receiverPeakHeapMB'),
      senderPeakHeapWithBuffersMB: m('memory.senderPeakHeapWithBuffersMB'),
      receiverPeakHeapWithBuffersMB: m('memory.receiverPeakHeapWithBuffersMB')
    },
    latency: {
      readyMs: m('latency.readyMs', 0),
      firstBlockMs: m('latency.firstBlockMs', 0),
      firstBlockConnectedMs: m('latency.firstBlockConnectedMs', 0),
      provideMs: m('latency.provideMs', 0),
      findProvidersMs: m('latency.findProvidersMs', 0),
      findProvidersMethod: runs.find(r => r.find != null)?.find?.method ?? null
    },
    noise: {
      otherCpuPctRaw: m('noise.otherCpuPctRaw', 0),
      otherCpuPctTransfer: m('noise.otherCpuPctTransfer', 0),
      relayCpuMsDuringTransfer: m('noise.relayCpuMsDuringTransfer', 0)
    },
    layers: summarizeLayers(runs),
    ...summarizeWebTorrent(runs),
    stats
  }
}

interface Row { metric: string, stat: Stat | null, unit: string, goal: string, status: string }

/** import.ratio's bar (an earlier issue's); the transfer's is GOAL_TRANSFER_RATIO. */
const GOAL_RATIO = 0.8
/** First block when the provider must be found in the DHT and dialed (latency.firstBlockMs). */
const GOAL_FIRST_BLOCK_MS = 600
/** First block when the provider is already connected (latency.firstBlockConnectedMs). */
const GOAL_FIRST_BLOCK_CONNECTED_MS = 250
const GOAL_READY_MS = 700
const GOAL_PEAK_HEAP_MB = 150

function status (value: number | null | undefined, ok: (v: number) => boolean): string {
  if (value == null) return 'n/a'
  return ok(value) ? 'met' : 'MISSED'
}

export interface Goal { metric: string, goal: string, value: number | null, status: string }

/** The goals, judged on medians (not pass/fail for the run: reported). */
export function goals (main: SizeSummary, large?: SizeSummary): Goal[] {
  const gb = large != null && large.mb >= 1024
  const heapSource = large ?? main
  const heapNote = gb ? ` (${large.mb} MB)` : ` (${heapSource.mb} MB only; run --large for 1 GB)`
  // judged on JS heap + ArrayBuffers where reported: block bytes live outside the JS heap
  const mem = heapSource.memory
  const heap = Math.max(mem.senderPeakHeapMB ?? -Infinity, mem.receiverPeakHeapMB ?? -Infinity, mem.senderPeakHeapWithBuffersMB ?? -Infinity, mem.receiverPeakHeapWithBuffersMB ?? -Infinity)
  return [
    { metric: 'transfer.ratio', goal: `>= ${GOAL_TRANSFER_RATIO}`, value: main.transfer.ratio, status: status(main.transfer.ratio, v => v >= GOAL_TRANSFER_RATIO) },
    { metric: 'transfer.cpuRatio (CPU/MB over raw)', goal: `<= ${GOAL_CPU_RATIO}`, value: main.transfer.cpuRatio, status: status(main.transfer.cpuRatio, v => v <= GOAL_CPU_RATIO) },
    { metric: 'import.ratio', goal: `>= ${GOAL_RATIO}`, value: main.import.ratio, status: status(main.import.ratio, v => v >= GOAL_RATIO) },
    { metric: 'latency.firstBlockMs (DHT + dial)', goal: `<= ${GOAL_FIRST_BLOCK_MS}`, value: main.latency.firstBlockMs, status: status(main.latency.firstBlockMs, v => v <= GOAL_FIRST_BLOCK_MS) },
    { metric: 'latency.firstBlockConnectedMs', goal: `<= ${GOAL_FIRST_BLOCK_CONNECTED_MS}`, value: main.latency.firstBlockConnectedMs, status: status(main.latency.firstBlockConnectedMs, v => v <= GOAL_FIRST_BLOCK_CONNECTED_MS) },
    { metric: 'latency.readyMs', goal: `<= ${GOAL_READY_MS}`, value: main.latency.readyMs, status: status(main.latency.readyMs, v => v <= GOAL_READY_MS) },
    ...webTorrentGoals(main),
    ...(large == null ? [] : [
      { metric: `transfer.ratio (${large.mb} MB)`, goal: `>= ${GOAL_TRANSFER_RATIO}`, value: large.transfer.ratio, status: status(large.transfer.ratio, v => v >= GOAL_TRANSFER_RATIO) },
      { metric: `import.ratio (${large.mb} MB)`, goal: `>= ${GOAL_RATIO}`, value: large.import.ratio, status: status(large.import.ratio, v => v >= GOAL_RATIO) },
      { metric: `latency.firstBlockMs (DHT + dial, ${large.mb} MB)`, goal: `<= ${GOAL_FIRST_BLOCK_MS}`, value: large.latency.firstBlockMs, status: status(large.latency.firstBlockMs, v => v <= GOAL_FIRST_BLOCK_MS) }
    ]),
    { metric: `memory.peakHeapMB, heap+ArrayBuffers, worse side${heapNote}`, goal: `< ${GOAL_PEAK_HEAP_MB}`, value: Number.isFinite(heap) ? round(heap, 1) : null, status: (gb ? '' : 'indicative: ') + status(Number.isFinite(heap) ? heap : null, v => v < GOAL_PEAK_HEAP_MB) }
  ]
}

export function table (machine: Machine, summaries: SizeSummary[], bundle: { gzipKB: number, serviceWorkerGzipKB: number, shellGzipKB?: number, peerGzipKB?: number }): string {
  const main = summaries[0]
  const rows: Row[] = []
  for (const s of summaries) {
    const tag = `[${s.mb} MB]`
    const st = (key: string): Stat | null => s.stats[key] ?? null
    const isLarge = s !== main
    const sizeRows: Row[] = [
      { metric: `${tag} transfer.ceilingMbps (raw RTCDataChannel)`, stat: st('transfer.ceilingMbps'), unit: 'MB/s', goal: '', status: '' },
      { metric: `${tag} transfer.mbps (Chiral download)`, stat: st('transfer.mbps'), unit: 'MB/s', goal: '', status: '' },
      { metric: `${tag} transfer.ratio`, stat: st('transfer.ratio'), unit: '×', goal: `>= ${GOAL_TRANSFER_RATIO}`, status: status(s.transfer.ratio, v => v >= GOAL_TRANSFER_RATIO) },
      { metric: `${tag} transfer.cpuMsPerMB (Chiral, both trees)`, stat: st('transfer.cpuMsPerMB'), unit: 'ms/MB', goal: '', status: '' },
      { metric: `${tag} transfer.ceilingCpuMsPerMB (raw)`, stat: st('transfer.ceilingCpuMsPerMB'), unit: 'ms/MB', goal: '', status: '' },
      { metric: `${tag} transfer.cpuRatio (Chiral / raw CPU per MB)`, stat: st('transfer.cpuRatio'), unit: '×', goal: `<= ${GOAL_CPU_RATIO}`, status: status(s.transfer.cpuRatio, v => v <= GOAL_CPU_RATIO) },
      ...decomposeRows(tag, st),
      ...webTorrentRows(tag, st, s),
      { metric: `${tag} import.ceilingMbps (IndexedDB alone)`, stat: st('import.ceilingMbps'), unit: 'MB/s', goal: '', status: '' },
      { metric: `${tag} import.mbps (share: File→DAG→IDB)`, stat: st('import.mbps'), unit: 'MB/s', goal: '', status: '' },
      { metric: `${tag} import.ratio`, stat: st('import.ratio'), unit: '×', goal: `>= ${GOAL_RATIO}`, status: status(s.import.ratio, v => v >= GOAL_RATIO) },
      { metric: `${tag} latency.firstBlockMs (DHT + dial)`, stat: st('latency.firstBlockMs'), unit: 'ms', goal: `<= ${GOAL_FIRST_BLOCK_MS}`, status: status(s.latency.firstBlockMs, v => v <= GOAL_FIRST_BLOCK_MS) },
      { metric: `${tag} latency.firstBlockConnectedMs`, stat: st('latency.firstBlockConnectedMs'), unit: 'ms', goal: `<= ${GOAL_FIRST_BLOCK_CONNECTED_MS}`, status: status(s.latency.firstBlockConnectedMs, v => v <= GOAL_FIRST_BLOCK_CONNECTED_MS) },
      { metric: `${tag} latency.readyMs (both pages)`, stat: st('latency.readyMs'), unit: 'ms', goal: `<= ${GOAL_READY_MS}`, status: status(s.latency.readyMs, v => v <= GOAL_READY_MS) },
      { metric: `${tag} latency.provideMs`, stat: st('latency.provideMs'), unit: 'ms', goal: '', status: '' },
      { metric: `${tag} latency.findProvidersMs${s.latency.findProvidersMethod === 'peer.findProviders' ? '' : ' (≤: incl. dial)'}`, stat: st('latency.findProvidersMs'), unit: 'ms', goal: '', status: '' },
      { metric: `${tag} memory.senderPeakHeapMB`, stat: st('memory.senderPeakHeapMB'), unit: 'MB', goal: isLarge ? `< ${GOAL_PEAK_HEAP_MB}` : '', status: isLarge ? status(s.memory.senderPeakHeapMB, v => v < GOAL_PEAK_HEAP_MB) : '' },
      { metric: `${tag} memory.receiverPeakHeapMB`, stat: st('memory.receiverPeakHeapMB'), unit: 'MB', goal: isLarge ? `< ${GOAL_PEAK_HEAP_MB}` : '', status: isLarge ? status(s.memory.receiverPeakHeapMB, v => v < GOAL_PEAK_HEAP_MB) : '' },
      { metric: `${tag} memory.senderPeakHeapWithBuffersMB`, stat: st('memory.senderPeakHeapWithBuffersMB'), unit: 'MB', goal: isLarge ? `< ${GOAL_PEAK_HEAP_MB}` : '', status: isLarge ? status(s.memory.senderPeakHeapWithBuffersMB, v => v < GOAL_PEAK_HEAP_MB) : '' },
      { metric: `${tag} memory.receiverPeakHeapWithBuffersMB`, stat: st('memory.receiverPeakHeapWithBuffersMB'), unit: 'MB', goal: isLarge ? `< ${GOAL_PEAK_HEAP_MB}` : '', status: isLarge ? status(s.memory.receiverPeakHeapWithBuffersMB, v => v < GOAL_PEAK_HEAP_MB) : '' },
      { metric: `${tag} noise: other CPU during raw`, stat: st('noise.otherCpuPctRaw'), unit: '%', goal: '', status: '' },
      { metric: `${tag} noise: other CPU during transfer`, stat: st('noise.otherCpuPctTransfer'), unit: '%', goal: '', status: '' },
      { metric: `${tag} relay CPU during transfer`, stat: st('noise.relayCpuMsDuringTransfer'), unit: 'ms', goal: '', status: '' }
    ]
    // the latency probes run with the main size only
    rows.push(...sizeRows.filter(r => r.stat != null || !/provideMs|findProvidersMs/.test(r.metric)))
  }
  const one = (v: number): Stat => ({ median: v, min: v, max: v, n: 1 })
  rows.push(
    { metric: 'bundle.gzipKB (assets JS+CSS)', stat: one(bundle.gzipKB), unit: 'KiB', goal: '', status: '' },
    { metric: 'bundle: service worker, gzip', stat: one(bundle.serviceWorkerGzipKB), unit: 'KiB', goal: '', status: '' }
  )
  if (bundle.shellGzipKB != null) rows.push({ metric: 'bundle.shellGzipKB (first screen: entry + static imports + CSS)', stat: one(bundle.shellGzipKB), unit: 'KiB', goal: '', status: '' })
  if (bundle.peerGzipKB != null) rows.push({ metric: 'bundle.peerGzipKB (loaded after: app/core + libp2p)', stat: one(bundle.peerGzipKB), unit: 'KiB', goal: '', status: '' })
  const fmt = (v: number | undefined): string => v == null ? '-' : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2)
  const cells = rows.map(r => [r.metric, fmt(r.stat?.median), fmt(r.stat?.min), fmt(r.stat?.max), r.unit, r.goal, r.status])
  const header = ['metric', 'median', 'min', 'max', 'unit', 'goal', 'status']
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map(c => c[i]!.length)))
  const line = (c: string[]): string => c.map((x, i) => i >= 1 && i <= 3 ? x.padStart(widths[i]!) : x.padEnd(widths[i]!)).join('  ').trimEnd()
  return [
    `Machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGB} GB RAM, ${machine.os}`,
    `Chromium: ${machine.chromium}`,
    `Node: ${machine.node}`,
    '',
    line(header),
    line(widths.map(w => '-'.repeat(w))),
    ...cells.map(line)
  ].join('\n')
}

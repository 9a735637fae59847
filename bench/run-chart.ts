import { throughputSvg, type ChartSeries } from './chart.ts'
import type { Machine } from './machine.ts'
import type { RunResult } from './scenario.ts'
import { rateSeries } from './throughput-samples.ts'

/** The run whose Chiral speed is the median (the lower middle one for an even count): the chart's run. */
export function medianRun (runs: RunResult[]): RunResult | undefined {
  const sorted = [...runs].sort((a, b) => a.transfer.mbps - b.transfer.mbps)
  return sorted[Math.floor((sorted.length - 1) / 2)]
}

/** Throughput over time of the raw channel, Chiral and WebTorrent in one run, as SVG. */
export function runChart (run: RunResult, machine: Machine, runCount: number): string {
  const { raw, chiral, webtorrent } = run.throughput
  const series: ChartSeries[] = []
  const mbps = (v: number | undefined): string => v == null ? '' : ` ${v.toFixed(1)} MB/s`
  if (raw != null) series.push({ name: `raw RTCDataChannel${mbps(run.raw.mbps)}`, color: '#6b7280', dashed: true, points: rateSeries(raw) })
  if (chiral != null) series.push({ name: `Chiral${mbps(run.transfer.mbps)}`, color: '#2563eb', points: rateSeries(chiral) })
  if (webtorrent != null) series.push({ name: `WebTorrent 3${mbps(run.webtorrent?.mbps)}`, color: '#ea580c', points: rateSeries(webtorrent) })
  return throughputSvg(series, {
    title: `Throughput, ${run.mb} MB between two Chromium processes (same run)`,
    subtitle: `${machine.cores} cores, ${machine.chromium.split(' built')[0]!.split(' (')[0]}; run ${run.run} of ${runCount} (median Chiral speed); rate over 0.5 s`
  })
}

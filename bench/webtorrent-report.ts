import { round, stat, type Stat } from './stats.ts'
import type { RunResult } from './scenario.ts'

/** The bar: Chiral at least this many times WebTorrent's speed, same run, same processes. */
export const GOAL_VS_WEBTORRENT = 1.3

export interface WebTorrentSummary {
  mbps: number | null
  cpuMsPerMB: number | null
  firstPieceMs: number | null
  firstByteMs: number | null
  /** WebTorrent's default piece length at this size (bytes). */
  pieceLength: number | null
  verifiedRuns: number
}

/** Per-run samples, merged into the size's `stats` (median/min/max) by report.ts. */
export function webTorrentSeries (runs: RunResult[]): Record<string, Array<number | null | undefined>> {
  return {
    'webtorrent.mbps': runs.map(r => r.webtorrent?.mbps),
    'webtorrent.cpuMsPerMB': runs.map(r => r.webtorrent?.cpuMsPerMB),
    'webtorrent.firstPieceMs': runs.map(r => r.webtorrent?.firstPieceMs),
    'webtorrent.firstByteMs': runs.map(r => r.webtorrent?.firstByteMs),
    'noise.otherCpuPctWebTorrent': runs.map(r => r.webtorrent?.otherCpuPct),
    'vsWebTorrent.ratio': runs.map(r => r.webtorrent == null ? null : r.transfer.mbps / r.webtorrent.mbps)
  }
}

/** Medians; `vsWebTorrent.ratio` = Chiral's median MB/s / WebTorrent's (per-run ratios in stats). */
export function summarizeWebTorrent (runs: RunResult[]): { webtorrent: WebTorrentSummary | null, vsWebTorrent: { ratio: number | null } | null } {
  const measured = runs.filter(r => r.webtorrent != null)
  if (measured.length === 0) return { webtorrent: null, vsWebTorrent: null }
  const series = webTorrentSeries(measured)
  const m = (key: string, digits = 1): number | null => round(stat(series[key] ?? [])?.median, digits)
  const chiral = stat(measured.map(r => r.transfer.mbps))?.median
  const wt = stat(series['webtorrent.mbps']!)?.median
  return {
    webtorrent: {
      mbps: m('webtorrent.mbps'),
      cpuMsPerMB: m('webtorrent.cpuMsPerMB'),
      firstPieceMs: m('webtorrent.firstPieceMs', 0),
      firstByteMs: m('webtorrent.firstByteMs', 0),
      pieceLength: measured[0]!.webtorrent!.pieceLength,
      verifiedRuns: measured.filter(r => r.webtorrent!.verified).length
    },
    vsWebTorrent: { ratio: chiral != null && wt != null ? round(chiral / wt, 3) : null }
  }
}

interface Row { metric: string, stat: Stat | null, unit: string, goal: string, status: string }

export function webTorrentRows (tag: string, st: (key: string) => Stat | null, summary: { webtorrent: WebTorrentSummary | null, vsWebTorrent: { ratio: number | null } | null }): Row[] {
  if (summary.webtorrent == null) return []
  const piece = summary.webtorrent.pieceLength == null ? '' : `, ${summary.webtorrent.pieceLength / 1024} KiB pieces`
  return [
    { metric: `${tag} webtorrent.mbps (WebTorrent 3${piece})`, stat: st('webtorrent.mbps'), unit: 'MB/s', goal: '', status: '' },
    { metric: `${tag} vsWebTorrent.ratio (Chiral / WebTorrent)`, stat: st('vsWebTorrent.ratio'), unit: '×', goal: `>= ${GOAL_VS_WEBTORRENT}`, status: goalStatus(summary.vsWebTorrent?.ratio) },
    { metric: `${tag} webtorrent.cpuMsPerMB (both trees)`, stat: st('webtorrent.cpuMsPerMB'), unit: 'ms/MB', goal: '', status: '' },
    { metric: `${tag} webtorrent.firstPieceMs (add → piece verified)`, stat: st('webtorrent.firstPieceMs'), unit: 'ms', goal: '', status: '' },
    { metric: `${tag} noise: other CPU during WebTorrent`, stat: st('noise.otherCpuPctWebTorrent'), unit: '%', goal: '', status: '' }
  ]
}

export function webTorrentGoals (summary: { vsWebTorrent: { ratio: number | null } | null }): Array<{ metric: string, goal: string, value: number | null, status: string }> {
  if (summary.vsWebTorrent == null) return []
  return [{ metric: 'vsWebTorrent.ratio', goal: `>= ${GOAL_VS_WEBTORRENT}`, value: summary.vsWebTorrent.ratio, status: goalStatus(summary.vsWebTorrent.ratio) }]
}

function goalStatus (value: number | null | undefined): string {
  if (value == null) return 'n/a'
  return value >= GOAL_VS_WEBTORRENT ? 'met' : 'MISSED'
}

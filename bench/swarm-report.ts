import { round, stat } from './stats.ts'
import type { SwarmRun } from './swarm.ts'

/** Medians of the swarm rows (min and max beside them). */
export interface SwarmSummary {
  mb: number
  uploadLimitMBps: number
  oneProviderMbps: number | null
  twoProvidersMbps: number | null
  speedup: number | null
  failoverStallMs: number | null
  failoverMbps: number | null
  /** Runs in which both sharers sent blocks in the two-provider download. */
  bothServedRuns: number
  runs: number
  range: Record<string, [number, number] | null>
}

export function summarizeSwarm (runs: SwarmRun[]): SwarmSummary {
  const pick = (f: (r: SwarmRun) => number): { median: number | null, range: [number, number] | null } => {
    const s = stat(runs.map(f))
    return s == null ? { median: null, range: null } : { median: s.median, range: [round(s.min, 2)!, round(s.max, 2)!] }
  }
  const one = pick(r => r.oneProviderMbps)
  const two = pick(r => r.twoProvidersMbps)
  const speedup = pick(r => r.speedup)
  const stall = pick(r => r.failoverStallMs)
  const failover = pick(r => r.failoverMbps)
  return {
    mb: runs[0]?.mb ?? 0,
    uploadLimitMBps: runs[0]?.uploadLimitMBps ?? 0,
    oneProviderMbps: round(one.median, 2),
    twoProvidersMbps: round(two.median, 2),
    speedup: round(speedup.median, 2),
    failoverStallMs: round(stall.median, 0),
    failoverMbps: round(failover.median, 2),
    bothServedRuns: runs.filter(r => r.twoProviderBlocks.length >= 2 && r.twoProviderBlocks.every(b => b > 0)).length,
    runs: runs.length,
    range: { oneProviderMbps: one.range, twoProvidersMbps: two.range, speedup: speedup.range, failoverStallMs: stall.range }
  }
}

/** The swarm issue's goals, on medians (reported, not enforced). */
export function swarmGoals (s: SwarmSummary): Array<{ metric: string, goal: string, value: number | null, status: string }> {
  const judge = (value: number | null, ok: (v: number) => boolean): string => value == null ? 'n/a' : ok(value) ? 'met' : 'not met'
  return [
    { metric: 'swarm.speedup', goal: '>= 1.7 (two capped sharers vs one)', value: s.speedup, status: judge(s.speedup, v => v >= 1.7) },
    { metric: 'swarm.failoverStallMs', goal: '<= ~2000', value: s.failoverStallMs, status: judge(s.failoverStallMs, v => v <= 2000) }
  ]
}

export function swarmTable (s: SwarmSummary): string {
  const r = (key: string): string => { const v = s.range[key]; return v == null ? '' : ` (${v[0]}–${v[1]})` }
  return [
    '',
    `Swarm (${s.mb} MB, each sharer's upload capped at ${s.uploadLimitMBps} MB/s; medians of ${s.runs} runs, min–max):`,
    `  one sharer              ${s.oneProviderMbps ?? 'n/a'} MB/s${r('oneProviderMbps')}`,
    `  two sharers             ${s.twoProvidersMbps ?? 'n/a'} MB/s${r('twoProvidersMbps')}  speed-up x${s.speedup ?? 'n/a'}${r('speedup')}; both served in ${s.bothServedRuns}/${s.runs} runs`,
    `  failover (one killed)   longest stall ${s.failoverStallMs ?? 'n/a'} ms${r('failoverStallMs')}, ${s.failoverMbps ?? 'n/a'} MB/s overall`
  ].join('\n')
}

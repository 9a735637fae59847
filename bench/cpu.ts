import { readdirSync, readFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { cpus } from 'node:os'

/** Kernel clock ticks per second (utime/stime unit in /proc/<pid>/stat). */
const CLK_TCK = (() => {
  try { return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100 } catch { return 100 }
})()

interface ProcStat { pid: number, ppid: number, ticks: number }

function readStat (pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // the command name (field 2) may contain spaces and parentheses: split after the last ')'
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ')
    // rest[0] is field 3 (state); ppid is field 4, utime 14, stime 15
    return { pid, ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) }
  } catch {
    return undefined // the process ended meanwhile
  }
}

function allPids (): number[] {
  return readdirSync('/proc').filter(name => /^\d+$/.test(name)).map(Number)
}

function cmdline (pid: number): string {
  try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ') } catch { return '' }
}

/**
 * The browser (main) process started with this user-data-dir: `launchPersistentContext`
 * gives no process handle, so we find it in /proc (children carry the flag too, but `--type=`).
 */
export function findBrowserPid (userDataDir: string): number {
  const flag = `--user-data-dir=${userDataDir}`
  const candidates = allPids().filter(pid => {
    const cmd = cmdline(pid)
    return cmd.includes(`${flag} `) || cmd.endsWith(flag) ? !cmd.includes('--type=') : false
  })
  if (candidates.length !== 1) throw new Error(`expected one browser process for ${userDataDir}, found ${candidates.length}`)
  return candidates[0]!
}

/** CPU ticks of every process in the tree under `root` (inclusive), by pid. */
export function treeTicks (root: number): Map<number, number> {
  const stats = allPids().map(readStat).filter((s): s is ProcStat => s != null)
  const children = new Map<number, number[]>()
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s.pid])
  const byPid = new Map(stats.map(s => [s.pid, s]))
  const out = new Map<number, number>()
  const queue = [root]
  while (queue.length > 0) {
    const pid = queue.pop()!
    const s = byPid.get(pid)
    if (s == null) continue
    out.set(pid, s.ticks)
    queue.push(...(children.get(pid) ?? []))
  }
  return out
}

export interface CpuSnapshot { at: number, machineBusyMs: number, trees: Array<Map<number, number>> }

/** Snapshot several process trees at once, and the whole machine's busy time. */
export function snapshot (roots: number[]): CpuSnapshot {
  return { at: performance.now(), machineBusyMs: machineBusyMs(), trees: roots.map(treeTicks) }
}

/** CPU ms of one process tree so far. */
export function treeCpuMs (root: number): number {
  let ticks = 0
  for (const t of treeTicks(root).values()) ticks += t
  return ticks * 1000 / CLK_TCK
}

/**
 * What everything else on the machine (other engineers' tests, the bench's own
 * Node driver, the relay) used between two snapshots, in % of all cores: the noise.
 */
export function otherCpuPct (before: CpuSnapshot, after: CpuSnapshot): number {
  const ours = cpuMsBetween(before, after).reduce((a, b) => a + b, 0)
  const other = after.machineBusyMs - before.machineBusyMs - ours
  return Math.max(0, other / ((after.at - before.at) * cpus().length) * 100)
}

/**
 * CPU milliseconds spent between two snapshots, per tree. A process born in
 * between counts from zero; one that ended in between is lost (take the second
 * snapshot before closing pages).
 */
export function cpuMsBetween (before: CpuSnapshot, after: CpuSnapshot): number[] {
  return after.trees.map((tree, i) => {
    let ticks = 0
    for (const [pid, t] of tree) ticks += t - (before.trees[i]?.get(pid) ?? 0)
    return ticks * 1000 / CLK_TCK
  })
}

/** Busy CPU time of the whole machine (all cores, /proc/stat), in ms: to see what else ran during a measurement. */
export function machineBusyMs (): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? ''
  const f = line.trim().split(/\s+/).slice(1).map(Number)
  // user nice system idle iowait irq softirq steal
  const busy = (f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0)
  return busy * 1000 / CLK_TCK
}

/** Direct children of this process whose command line contains `text` (e.g. the relay we started). */
export function childPids (text: string): number[] {
  return allPids().filter(pid => readStat(pid)?.ppid === process.pid && cmdline(pid).includes(text))
}

import { readdirSync, readFileSync } from 'node:fs'

/** One process as /proc shows it. */
export interface ProcessMemory {
  pid: number
  name: string
  rssBytes: number
}

function parentOf (pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return Number(fields[1])
  } catch {
    return undefined // gone meanwhile
  }
}

function memoryOf (pid: number): ProcessMemory | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const rss = /^VmRSS:\s+(\d+) kB$/m.exec(status)
    const name = /^Name:\s+(.*)$/m.exec(status)?.[1] ?? '?'
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    const type = /--type=([a-z-]+)/.exec(cmdline)?.[1] ?? 'browser'
    return { pid, name: `${name}:${type}`, rssBytes: rss == null ? 0 : Number(rss[1]) * 1024 }
  } catch {
    return undefined
  }
}

/** `root` and every process below it, with its resident memory (Linux /proc). */
export function processTree (root: number): ProcessMemory[] {
  const children = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry)
    if (!Number.isInteger(pid)) continue
    const parent = parentOf(pid)
    if (parent == null) continue
    const list = children.get(parent) ?? []
    list.push(pid)
    children.set(parent, list)
  }
  const out: ProcessMemory[] = []
  const stack = [root]
  while (stack.length > 0) {
    const pid = stack.pop() as number
    const memory = memoryOf(pid)
    if (memory != null) out.push(memory)
    stack.push(...(children.get(pid) ?? []))
  }
  return out
}

/** Peak RSS per process of a tree, sampled every `intervalMs` until stopped. */
export class MemorySampler {
  readonly peak = new Map<number, ProcessMemory>()
  readonly baseline = new Map<number, ProcessMemory>()
  private readonly timer: ReturnType<typeof setInterval>
  private readonly root: number
  /** RSS of the whole tree, one entry per sample: shows a plateau (streaming) or a ramp (pile-up). */
  readonly totals: number[] = []
  samples = 0

  constructor (root: number, intervalMs = 100) {
    this.root = root
    for (const p of processTree(root)) this.baseline.set(p.pid, p)
    this.sample()
    this.timer = setInterval(() => { this.sample() }, intervalMs)
  }

  sample (): void {
    this.samples++
    let total = 0
    for (const p of processTree(this.root)) {
      total += p.rssBytes
      const seen = this.peak.get(p.pid)
      if (seen == null || p.rssBytes > seen.rssBytes) this.peak.set(p.pid, p)
    }
    this.totals.push(total)
  }

  /** The tree's RSS in MB at `points` evenly spaced samples. */
  timeline (points = 10): number[] {
    const out: number[] = []
    for (let i = 0; i < points; i++) out.push(Math.round((this.totals[Math.floor(i * (this.totals.length - 1) / (points - 1))] ?? 0) / 1048576))
    return out
  }

  stop (): void {
    clearInterval(this.timer)
    this.sample()
  }

  /** Per process: RSS when sampling began (0 for a process started since), peak, and growth. */
  report (): Array<{ pid: number, name: string, beforeMB: number, peakMB: number, growthMB: number }> {
    const mb = (n: number): number => Math.round(n / 1048576)
    return [...this.peak.values()].map(p => {
      const before = this.baseline.get(p.pid)?.rssBytes ?? 0
      return { pid: p.pid, name: p.name, beforeMB: mb(before), peakMB: mb(p.rssBytes), growthMB: mb(p.rssBytes - before) }
    }).sort((a, b) => b.growthMB - a.growthMB)
  }
}

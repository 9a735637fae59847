import type { CDPSession, Page } from '@playwright/test'

interface ProfileNode {
  id: number
  callFrame: { functionName: string, url: string, lineNumber: number, columnNumber: number }
  hitCount?: number
  children?: number[]
}

export interface Profile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples?: number[]
  timeDeltas?: number[]
}

export interface SelfTime {
  name: string
  /** script:line:column in the production bundle */
  where: string
  /** the source file and line it came from, when source maps could be had */
  source?: string
  selfMs: number
  percent: number
}

const SAMPLING_INTERVAL_US = 500

/** The V8 sampling profiler of one page (CDP Profiler), for "where does the time go". */
export class CpuProfile {
  private session?: CDPSession
  profile?: Profile

  static async start (page: Page): Promise<CpuProfile> {
    const p = new CpuProfile()
    p.session = await page.context().newCDPSession(page)
    await p.session.send('Profiler.enable')
    await p.session.send('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US })
    await p.session.send('Profiler.start')
    return p
  }

  async stop (): Promise<Profile> {
    const { profile } = await this.session!.send('Profiler.stop')
    await this.session!.detach().catch(() => {})
    this.profile = profile as unknown as Profile
    return this.profile
  }

  /** Self time by function (samples × their time deltas), largest first; percent of busy (non-idle) time. */
  topSelf (limit = 15, resolve?: (file: string, line: number, column: number) => string | undefined): SelfTime[] {
    const profile = this.profile
    if (profile == null) return []
    const selfUs = new Map<number, number>()
    const samples = profile.samples ?? []
    const deltas = profile.timeDeltas ?? []
    for (let i = 0; i < samples.length; i++) {
      // a sample's duration is the gap to the next sample
      const dt = deltas[i + 1] ?? 0
      selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + dt)
    }
    const byFunction = new Map<string, SelfTime>()
    const idle = new Set(profile.nodes.filter(n => n.callFrame.functionName === '(idle)').map(n => n.id))
    const total = [...selfUs.entries()].reduce((a, [id, us]) => idle.has(id) ? a : a + us, 0)
    for (const node of profile.nodes) {
      const us = selfUs.get(node.id) ?? 0
      if (us === 0 || idle.has(node.id)) continue
      const { functionName, url, lineNumber, columnNumber } = node.callFrame
      const file = url === '' ? '' : url.replace(/^.*\//, '')
      const name = functionName === '' ? '(anonymous)' : functionName
      const where = file === '' ? '' : `${file}:${lineNumber + 1}:${columnNumber + 1}`
      const key = `${name} ${where}`
      const source = file === '' ? undefined : resolve?.(file, lineNumber + 1, columnNumber)
      const entry = byFunction.get(key) ?? { name, where, source, selfMs: 0, percent: 0 }
      entry.selfMs += us / 1000
      byFunction.set(key, entry)
    }
    return [...byFunction.values()]
      .map(e => ({ ...e, selfMs: Math.round(e.selfMs), percent: Math.round(e.selfMs * 1000 / total * 1000) / 10 }))
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, limit)
  }
}

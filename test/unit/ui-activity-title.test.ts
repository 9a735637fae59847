import { describe, expect, it, vi } from 'vitest'
import { activityPercent, activityTitle } from '../../app/ui/activity-progress.ts'
import { ActivityTitle, type TitleDocument } from '../../app/ui/kernel/activity-title.ts'
import type { DownloadProgress } from '../../app/core/types.ts'

const progress = (bytes: number, totalBytes?: number): DownloadProgress => ({ phase: 'transferring', bytes, totalBytes, blocksFetched: 0, blocksLocal: 0, peers: 1, bytesPerSecond: 0 })

class FakeDocument implements TitleDocument {
  title = 'Chiral — share files browser to browser'
  hidden = false
  private readonly listeners = new Set<() => void>()
  addEventListener (_type: 'visibilitychange', listener: () => void): void { this.listeners.add(listener) }
  removeEventListener (_type: 'visibilitychange', listener: () => void): void { this.listeners.delete(listener) }
  setHidden (hidden: boolean): void { this.hidden = hidden; for (const l of this.listeners) l() }
}

describe('title and badge with progress', () => {
  it('sums running downloads and the share being imported; nothing moving is undefined; never 100 while moving', () => {
    expect(activityPercent([], undefined)).toBeUndefined()
    expect(activityPercent([{ state: 'done', progress: progress(10, 10) }, { state: 'paused', progress: progress(1, 10) }], undefined)).toBeUndefined()
    expect(activityPercent([{ state: 'running', progress: progress(30, 100) }, { state: 'running', progress: progress(12, 100) }], undefined)).toBe(21)
    expect(activityPercent([{ state: 'running', progress: progress(5) }], undefined)).toBe(0) // size not known yet
    expect(activityPercent([], { phase: 'importing', bytesImported: 50, totalBytes: 100 })).toBe(50)
    expect(activityPercent([{ state: 'running', progress: progress(100, 100) }], undefined)).toBe(99)
    expect(activityTitle('Chiral', 42)).toBe('42% · Chiral')
    expect(activityTitle('Chiral', undefined)).toBe('Chiral')
  })

  it('writes the title only when its percent changes (progress comes per block)', () => {
    const doc = new FakeDocument()
    let writes = 0
    let text = doc.title
    Object.defineProperty(doc, 'title', { get: () => text, set: (value: string) => { writes++; text = value } })
    const title = new ActivityTitle(doc, {})
    for (const p of [7, 7, 7, 8, 8]) title.update(p)
    expect(writes).toBe(2)
    expect(doc.title).toBe('8% · Chiral')
  })

  it('puts the percent in the title while something moves, badges the app only while hidden, and clears both when idle', () => {
    const doc = new FakeDocument()
    const nav = { setAppBadge: vi.fn(async (_n?: number) => {}), clearAppBadge: vi.fn(async () => {}) }
    const title = new ActivityTitle(doc, nav)
    const setPercent = (p: number | undefined): void => { title.update(p) }
    expect(doc.title).toBe('Chiral — share files browser to browser')
    setPercent(42)
    expect(doc.title).toBe('42% · Chiral')
    expect(nav.setAppBadge).not.toHaveBeenCalled() // the tab is visible: the title is enough
    doc.setHidden(true)
    expect(nav.setAppBadge).toHaveBeenLastCalledWith(42)
    setPercent(43)
    expect(nav.setAppBadge).toHaveBeenLastCalledWith(43)
    setPercent(undefined)
    expect(doc.title).toBe('Chiral — share files browser to browser')
    expect(nav.clearAppBadge).toHaveBeenCalledTimes(1)
    setPercent(10)
    doc.setHidden(false)
    expect(nav.clearAppBadge).toHaveBeenCalledTimes(2)
    title.dispose()
    expect(doc.title).toBe('Chiral — share files browser to browser')
  })

  it('works where the browser has no Badging API', () => {
    const doc = new FakeDocument()
    doc.hidden = true
    const title = new ActivityTitle(doc, {})
    title.update(5)
    expect(doc.title).toBe('5% · Chiral')
    title.dispose()
    expect(doc.title).toBe('Chiral — share files browser to browser')
  })
})

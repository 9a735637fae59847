import type { Page } from '@playwright/test'

/** How often the receiving page reads its byte count (its own clock). */
export const SAMPLE_EVERY_MS = 100
/** The chart's rate is taken over this window, centred: the UI's progress is itself throttled to 100 ms. */
const RATE_WINDOW_MS = 500

/** What a receiving page counts: the raw channel's received bytes, Chiral's stored bytes, WebTorrent's verified bytes. */
export type SampleSource = 'raw' | 'chiral' | 'webtorrent'

/** [epoch ms on the page's clock, bytes received so far]. */
export type Sample = [number, number]

declare global {
  // eslint-disable-next-line no-var
  var benchSampler: { samples: Sample[], timer: ReturnType<typeof setInterval> } | undefined
}

/**
 * Start reading the page's received-byte count every SAMPLE_EVERY_MS. Only
 * public behaviour: the raw bench's own counter, the transfer-progress
 * aria-valuenow (bytes stored) of the app, the WebTorrent page's verified bytes.
 */
export async function startSampler (page: Page, source: SampleSource): Promise<void> {
  await page.evaluate(({ source, every }) => {
    const read = (): number => {
      const g = globalThis as unknown as { rawBench?: { received: number }, benchWt?: { verifiedBytes: number } }
      if (source === 'raw') return g.rawBench?.received ?? 0
      if (source === 'webtorrent') return g.benchWt?.verifiedBytes ?? 0
      return Number(document.querySelector('[data-testid="transfer-progress"]')?.getAttribute('aria-valuenow') ?? 0)
    }
    if (globalThis.benchSampler != null) clearInterval(globalThis.benchSampler.timer)
    const samples: Sample[] = []
    const take = (): void => { samples.push([performance.timeOrigin + performance.now(), read()]) }
    take()
    globalThis.benchSampler = { samples, timer: setInterval(take, every) }
  }, { source, every: SAMPLE_EVERY_MS })
}

export async function stopSampler (page: Page): Promise<Sample[]> {
  return page.evaluate(() => {
    const sampler = globalThis.benchSampler
    if (sampler == null) return []
    clearInterval(sampler.timer)
    globalThis.benchSampler = undefined
    return sampler.samples
  })
}

/** One method's bytes over its timed window: seconds since its start, bytes received (JSON-friendly). */
export interface ByteSeries { seconds: number[], bytes: number[] }

/**
 * The samples inside [start, end] (epoch ms), as seconds since start, framed by
 * (0, 0) and (end, total): the window's own endpoints are exact, the samples between are the page's.
 */
export function windowSeries (samples: Sample[], start: number, end: number, totalBytes: number): ByteSeries {
  const inside = samples.filter(([t, b]) => t > start && t < end && b <= totalBytes)
  const points: Sample[] = [[start, 0], ...inside, [end, totalBytes]]
  return { seconds: points.map(([t]) => round3((t - start) / 1000)), bytes: points.map(([, b]) => b) }
}

/** MB/s (2^20) over time from cumulative bytes: centred differences over RATE_WINDOW_MS. */
export function rateSeries (series: ByteSeries, windowMs = RATE_WINDOW_MS): Array<[number, number]> {
  const { seconds, bytes } = series
  const half = windowMs / 2000
  const out: Array<[number, number]> = []
  for (let i = 0; i < seconds.length; i++) {
    const t = seconds[i]!
    let lo = i
    let hi = i
    while (lo > 0 && t - seconds[lo]! < half) lo--
    while (hi < seconds.length - 1 && seconds[hi]! - t < half) hi++
    const dt = seconds[hi]! - seconds[lo]!
    if (dt <= 0) continue
    out.push([t, (bytes[hi]! - bytes[lo]!) / 2 ** 20 / dt])
  }
  return out
}

function round3 (v: number): number {
  return Math.round(v * 1000) / 1000
}

import type { CDPSession, Page } from '@playwright/test'

const SAMPLE_INTERVAL_MS = 100

/** Polls a page's JS heap (CDP Performance.getMetrics, JSHeapUsedSize) and keeps the peak. */
export class HeapSampler {
  private session?: CDPSession
  private timer?: ReturnType<typeof setInterval>
  private inFlight = false
  peakBytes = 0
  samples = 0

  static async start (page: Page): Promise<HeapSampler> {
    const sampler = new HeapSampler()
    sampler.session = await page.context().newCDPSession(page)
    await sampler.session.send('Performance.enable')
    await sampler.sample()
    sampler.timer = setInterval(() => { void sampler.sample() }, SAMPLE_INTERVAL_MS)
    return sampler
  }

  private async sample (): Promise<void> {
    if (this.inFlight || this.session == null) return
    this.inFlight = true
    try {
      const { metrics } = await this.session.send('Performance.getMetrics')
      const used = metrics.find(m => m.name === 'JSHeapUsedSize')?.value ?? 0
      this.peakBytes = Math.max(this.peakBytes, used)
      this.samples++
    } catch {
      // the page is closing
    } finally {
      this.inFlight = false
    }
  }

  /** Stop sampling (one last sample first); the peak in MB (2^20 bytes). */
  async stop (): Promise<number> {
    clearInterval(this.timer)
    while (this.inFlight) await new Promise(resolve => setTimeout(resolve, 5))
    await this.sample()
    await this.session?.detach().catch(() => {})
    this.session = undefined
    return this.peakBytes / 2 ** 20
  }
}

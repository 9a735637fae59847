import type { CDPSession, Page } from '@playwright/test'

const SAMPLE_INTERVAL_MS = 100
const MB = 2 ** 20

export interface HeapPeaks {
  /** Peak JS heap in use (V8 usedSize = CDP Performance JSHeapUsedSize), MB. */
  heapMB: number
  /**
   * Peak of JS heap + ArrayBuffer backing stores (Runtime.getHeapUsage backingStorageSize), MB.
   * Block bytes live in ArrayBuffers outside the JS heap, so this is the figure that
   * shows whole-file buffering. `null` where the browser does not report it.
   */
  heapWithBuffersMB: number | null
  samples: number
}

/** Polls a page's heap over CDP every 100 ms during a transfer and keeps the peaks. */
export class HeapSampler {
  private session?: CDPSession
  private timer?: ReturnType<typeof setInterval>
  private inFlight = false
  private peakHeap = 0
  private peakWithBuffers: number | null = null
  private samples = 0

  static async start (page: Page): Promise<HeapSampler> {
    const sampler = new HeapSampler()
    sampler.session = await page.context().newCDPSession(page)
    await sampler.sample()
    sampler.timer = setInterval(() => { void sampler.sample() }, SAMPLE_INTERVAL_MS)
    return sampler
  }

  private async sample (): Promise<void> {
    if (this.inFlight || this.session == null) return
    this.inFlight = true
    try {
      const usage = await this.session.send('Runtime.getHeapUsage') as { usedSize: number, backingStorageSize?: number }
      this.peakHeap = Math.max(this.peakHeap, usage.usedSize)
      if (usage.backingStorageSize != null) this.peakWithBuffers = Math.max(this.peakWithBuffers ?? 0, usage.usedSize + usage.backingStorageSize)
      this.samples++
    } catch {
      // the page is closing
    } finally {
      this.inFlight = false
    }
  }

  /** Stop sampling (one last sample first). */
  async stop (): Promise<HeapPeaks> {
    clearInterval(this.timer)
    while (this.inFlight) await new Promise(resolve => setTimeout(resolve, 5))
    await this.sample()
    await this.session?.detach().catch(() => {})
    this.session = undefined
    return { heapMB: this.peakHeap / MB, heapWithBuffersMB: this.peakWithBuffers == null ? null : this.peakWithBuffers / MB, samples: this.samples }
  }
}

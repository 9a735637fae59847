/** Bytes per second over a sliding window, for the speed a person sees. */
export class ProgressMeter {
  private readonly samples: Array<[number, number]> = []
  private readonly windowMs: number
  private total = 0

  constructor (windowMs = 3_000) {
    this.windowMs = windowMs
  }

  add (bytes: number, now = performance.now()): void {
    this.total += bytes
    this.samples.push([now, this.total])
    while (this.samples.length > 2 && (this.samples[0]?.[0] ?? now) < now - this.windowMs) this.samples.shift()
  }

  bytesPerSecond (now = performance.now()): number {
    const first = this.samples[0]
    if (first == null) return 0
    const elapsed = Math.max(now - first[0], 250)
    return ((this.total - first[1]) * 1000) / elapsed
  }
}

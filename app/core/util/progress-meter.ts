/** Shortest time a rate is measured over: one block right after another is not a speed yet. */
const MIN_ELAPSED_MS = 250

/** Bytes per second over a sliding window, for the speed a person sees. */
export class ProgressMeter {
  /** [time, total bytes after that add]; the oldest is the latest one at or before the window's start (the anchor). */
  private readonly samples: Array<[number, number]> = []
  private readonly windowMs: number
  private total = 0

  constructor (windowMs = 3_000) {
    this.windowMs = windowMs
  }

  add (bytes: number, now = performance.now()): void {
    this.total += bytes
    this.samples.push([now, this.total])
    while (this.samples.length > 2 && (this.samples[1]?.[0] ?? now) <= now - this.windowMs) this.samples.shift()
  }

  /**
   * Bytes since the oldest sample kept, over the time since it (at least
   * MIN_ELAPSED_MS). The first sample is the baseline, its own bytes not
   * counted: nobody knows how long they took. Between adds the rate decays
   * slowly; peers' windows rely on that (a pause in wants is not a slow peer).
   */
  bytesPerSecond (now = performance.now()): number {
    const first = this.samples[0]
    if (first == null) return 0
    const elapsed = Math.max(now - first[0], MIN_ELAPSED_MS)
    return ((this.total - first[1]) * 1000) / elapsed
  }

  /**
   * The moving rate a person sees: bytes that arrived in the last `windowMs`
   * (or since the first add, when that is more recent) over that time. It
   * falls to 0 once nothing arrived for a whole window, instead of staying
   * at the last burst's speed.
   */
  movingRate (now = performance.now()): number {
    const first = this.samples[0]
    if (first == null) return 0
    const from = now - this.windowMs
    let anchor: [number, number] | undefined
    for (const sample of this.samples) {
      if (sample[0] <= from) anchor = sample
      else break
    }
    if (anchor != null) return ((this.total - anchor[1]) * 1000) / this.windowMs
    return ((this.total - first[1]) * 1000) / Math.max(now - first[0], MIN_ELAPSED_MS) // younger than the window: since the first block
  }
}

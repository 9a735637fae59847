/** A download's recent speeds, for its live graph: one sample per interval, the newest SPEED_SAMPLES kept. */

/** One point per half second... */
export const SPEED_SAMPLE_MS = 500
/** ...for the last 30 seconds. */
export const SPEED_SAMPLES = 60

export class SpeedHistory {
  private readonly samples: number[] = []
  private last = -Infinity
  private readonly now: () => number

  constructor (now: () => number = () => performance.now()) {
    this.now = now
  }

  /** Take `bytesPerSecond` if an interval passed since the last sample; true when taken. */
  sample (bytesPerSecond: number): boolean {
    const now = this.now()
    if (now - this.last < SPEED_SAMPLE_MS) return false
    this.last = now
    this.samples.push(Number.isFinite(bytesPerSecond) && bytesPerSecond > 0 ? bytesPerSecond : 0)
    if (this.samples.length > SPEED_SAMPLES) this.samples.shift()
    return true
  }

  /** The run ended: the line ends at 0 (a stale last speed is never the last word). True when that changed anything. */
  end (): boolean {
    if (this.samples.length === 0 || this.samples[this.samples.length - 1] === 0) return false
    this.samples.push(0)
    if (this.samples.length > SPEED_SAMPLES) this.samples.shift()
    this.last = this.now()
    return true
  }

  clear (): void {
    this.samples.length = 0
    this.last = -Infinity
  }

  values (): readonly number[] {
    return [...this.samples]
  }
}

/** SVG polyline points for `values` in a width × height box (y grows down); the highest value touches the top. */
export function sparklinePoints (values: readonly number[], width: number, height: number): string {
  if (values.length === 0) return ''
  const peak = Math.max(...values, 1)
  const step = values.length > 1 ? width / (SPEED_SAMPLES - 1) : 0
  const start = width - step * (values.length - 1) // the newest point is at the right edge; history grows leftwards
  return values
    .map((v, i) => `${round(start + i * step)},${round(height - (v / peak) * (height - 2) - 1)}`)
    .join(' ')
}

function round (n: number): number {
  return Math.round(n * 10) / 10
}

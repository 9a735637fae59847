/** Median with min/max over repeated runs; `null` samples (a run that could not measure) are skipped. */
export interface Stat {
  median: number
  min: number
  max: number
  n: number
}

export function stat (samples: Array<number | null | undefined>): Stat | null {
  const values = samples.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b)
  if (values.length === 0) return null
  const mid = Math.floor(values.length / 2)
  const median = values.length % 2 === 1 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2
  return { median, min: values[0]!, max: values[values.length - 1]!, n: values.length }
}

export function median (samples: Array<number | null | undefined>): number | null {
  return stat(samples)?.median ?? null
}

export function round (value: number | null | undefined, digits = 1): number | null {
  if (value == null || !Number.isFinite(value)) return null
  const f = 10 ** digits
  return Math.round(value * f) / f
}

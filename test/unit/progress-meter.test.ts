import { describe, expect, it } from 'vitest'
import { ProgressMeter } from '../../app/core/util/progress-meter.ts'

describe('progress meter', () => {
  it('movingRate: the bytes of the last window over the window', () => {
    const meter = new ProgressMeter(1_000)
    for (let t = 0; t <= 3_000; t += 100) meter.add(100_000, t) // 1 MB/s steady
    expect(meter.movingRate(3_000)).toBeCloseTo(1_000_000, -3)
  })

  it('movingRate: since the first block while the run is younger than the window, that block\'s own bytes not counted', () => {
    const meter = new ProgressMeter(3_000)
    expect(meter.movingRate(0)).toBe(0)
    meter.add(500_000, 0)
    meter.add(500_000, 500)
    expect(meter.movingRate(500)).toBe(1_000_000)
    expect(meter.movingRate(1_000)).toBe(500_000)
  })

  it('movingRate falls to 0 after a whole window without data; bytesPerSecond decays slowly (peer windows rely on it)', () => {
    const meter = new ProgressMeter(1_000)
    for (let t = 0; t <= 2_000; t += 100) meter.add(100_000, t)
    expect(meter.movingRate(2_500)).toBeCloseTo(500_000, -3) // half a window of data left in it
    expect(meter.movingRate(3_100)).toBe(0)
    expect(meter.bytesPerSecond(3_100)).toBeGreaterThan(0)
  })

  it('a new meter (a resumed run) knows nothing of the bytes before: no burst from stored blocks', () => {
    const meter = new ProgressMeter(3_000)
    meter.add(262_144, 10_000)
    expect(meter.movingRate(10_000)).toBe(0)
    meter.add(262_144, 10_500)
    expect(meter.movingRate(10_500)).toBeCloseTo(524_288, 0)
  })
})

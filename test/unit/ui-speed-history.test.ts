import { describe, expect, it } from 'vitest'
import { SPEED_SAMPLE_MS, SPEED_SAMPLES, SpeedHistory, sparklinePoints } from '../../app/ui/speed-history.ts'

describe('speed history (the live graph)', () => {
  it('takes one sample per interval and keeps the newest SPEED_SAMPLES', () => {
    let now = 0
    const history = new SpeedHistory(() => now)
    expect(history.sample(100)).toBe(true)
    now += SPEED_SAMPLE_MS - 1
    expect(history.sample(200)).toBe(false)
    for (let i = 0; i < SPEED_SAMPLES + 5; i++) { now += SPEED_SAMPLE_MS; history.sample(i) }
    expect(history.values()).toHaveLength(SPEED_SAMPLES)
    expect(history.values().at(-1)).toBe(SPEED_SAMPLES + 4)
  })

  it('ends at 0 once the run ends (cancel, failure), once; clear starts a new run', () => {
    let now = 0
    const history = new SpeedHistory(() => now)
    history.sample(5_000_000)
    expect(history.end()).toBe(true)
    expect(history.end()).toBe(false)
    expect(history.values()).toEqual([5_000_000, 0])
    history.clear()
    expect(history.values()).toEqual([])
    expect(history.end()).toBe(false)
    now += 1
    expect(history.sample(-1)).toBe(true) // nonsense reads as 0
    expect(history.values()).toEqual([0])
  })

  it('draws the newest point at the right edge and the peak at the top', () => {
    expect(sparklinePoints([], 120, 28)).toBe('')
    const points = sparklinePoints([0, 50, 100], 120, 28).split(' ').map(p => p.split(',').map(Number))
    expect(points).toHaveLength(3)
    expect(points[2]![0]).toBe(120)
    expect(points[2]![1]).toBe(1) // the peak touches the top (1 px inset)
    expect(points[0]![1]).toBe(27) // zero sits on the bottom
    expect(points[0]![0]).toBeLessThan(points[1]![0]!)
  })
})

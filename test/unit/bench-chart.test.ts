import { describe, expect, it } from 'vitest'
import { axisMax, throughputSvg } from '../../bench/chart.ts'
import { rateSeries, windowSeries } from '../../bench/throughput-samples.ts'

const MB = 2 ** 20

describe('bench throughput chart', () => {
  const series = [
    { name: 'raw', color: '#6b7280', dashed: true, points: [[0, 0], [1, 18], [2, 17]] as Array<[number, number]> },
    { name: 'Chiral <fast>', color: '#2563eb', points: [[0, 0], [1, 9], [2, 11], [3, 10]] as Array<[number, number]> }
  ]

  it('draws one path per series, on a white background, with escaped legend names', () => {
    const svg = throughputSvg(series, { title: 'T' })
    expect(svg.match(/<path class="series"/g)).toHaveLength(2)
    expect(svg).toContain('<rect width="760" height="380" fill="#ffffff"/>')
    expect(svg).toContain('Chiral &lt;fast&gt;')
    expect(svg).not.toContain('<fast>')
    expect(svg).toContain('stroke-dasharray')
  })

  it('scales the y axis to the largest value: the peak sits inside the plot, below the top tick', () => {
    expect(axisMax(18)).toEqual({ max: 20, step: 5 })
    expect(axisMax(20).max).toBe(20)
    const svg = throughputSvg(series, { title: 'T', width: 760, height: 380 })
    // plot: top 80, height 380 - 80 - 52 = 248; y max 20 → 18 MB/s at 80 + 248 * (1 - 18 / 20)
    const raw = /data-name="raw" d="([^"]+)"/.exec(svg)![1]!
    const ys = raw.split(/[ML]/).filter(Boolean).map(p => Number(p.trim().split(' ')[1]))
    expect(Math.min(...ys)).toBeCloseTo(80 + 248 * 0.1, 0)
    expect(Math.max(...ys)).toBeCloseTo(80 + 248, 0)
    // x: 3 s is the last point of the longest series, axis to 3 (step 0.5 or 1)
    expect(svg).toMatch(/>3<\/text>/)
  })
})

describe('bench throughput samples', () => {
  it('keeps the samples of the timed window, framed by its exact start and end', () => {
    const samples: Array<[number, number]> = [[900, 50 * MB], [1000, 0], [1500, 5 * MB], [2000, 10 * MB], [2600, 20 * MB]]
    const s = windowSeries(samples, 1000, 2500, 20 * MB)
    expect(s.seconds).toEqual([0, 0.5, 1, 1.5])
    expect(s.bytes).toEqual([0, 5 * MB, 10 * MB, 20 * MB])
  })

  it('turns cumulative bytes into MB/s', () => {
    const rates = rateSeries({ seconds: [0, 0.5, 1, 1.5, 2], bytes: [0, 5 * MB, 10 * MB, 15 * MB, 20 * MB] }, 1000)
    for (const [, mbps] of rates) expect(mbps).toBeCloseTo(10, 6)
    expect(rates.map(([t]) => t)).toEqual([0, 0.5, 1, 1.5, 2])
  })
})

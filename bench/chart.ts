/**
 * A small hand-written SVG line chart (no dependency): throughput over time, one
 * line per method. A white background so it reads the same in light and dark
 * GitHub themes.
 */

export interface ChartSeries {
  name: string
  color: string
  /** [x, y]: seconds since the method's start, MB/s. */
  points: Array<[number, number]>
  dashed?: boolean
}

export interface ChartOptions {
  title: string
  subtitle?: string
  xLabel?: string
  yLabel?: string
  width?: number
  height?: number
}

const MARGIN = { left: 64, right: 24, top: 80, bottom: 52 }
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"'

/** A round step (1, 2, 2.5 or 5 × 10^n) giving about `count` intervals up to `max`. */
export function niceStep (max: number, count = 5): number {
  if (!(max > 0)) return 1
  const raw = max / count
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 2.5, 5, 10].find(m => m * magnitude >= raw)! * magnitude
  return step
}

/** The axis' upper end: the first multiple of the step at or above max. */
export function axisMax (max: number, count = 5): { max: number, step: number } {
  const step = niceStep(max, count)
  return { max: Math.max(step, Math.ceil(max / step - 1e-9) * step), step }
}

export function throughputSvg (series: ChartSeries[], opts: ChartOptions): string {
  const width = opts.width ?? 760
  const height = opts.height ?? 380
  const plot = { x: MARGIN.left, y: MARGIN.top, w: width - MARGIN.left - MARGIN.right, h: height - MARGIN.top - MARGIN.bottom }
  const all = series.flatMap(s => s.points)
  const x = axisMax(Math.max(0, ...all.map(p => p[0])))
  const y = axisMax(Math.max(0, ...all.map(p => p[1])))
  const px = (v: number): number => round(plot.x + v / x.max * plot.w)
  const py = (v: number): number => round(plot.y + plot.h - v / y.max * plot.h)

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${plot.x}" y="22" font-size="15" font-weight="600" fill="#111827">${escape(opts.title)}</text>`
  ]
  if (opts.subtitle != null) out.push(`<text x="${plot.x}" y="40" fill="#4b5563">${escape(opts.subtitle)}</text>`)
  // grid and tick labels
  for (const v of ticks(y)) {
    out.push(`<line x1="${plot.x}" x2="${plot.x + plot.w}" y1="${py(v)}" y2="${py(v)}" stroke="#e5e7eb"/>`)
    out.push(`<text x="${plot.x - 8}" y="${py(v) + 4}" text-anchor="end" fill="#374151">${v.toFixed(decimals(y.step))}</text>`)
  }
  for (const v of ticks(x)) {
    out.push(`<line x1="${px(v)}" x2="${px(v)}" y1="${plot.y + plot.h}" y2="${plot.y + plot.h + 5}" stroke="#6b7280"/>`)
    out.push(`<text x="${px(v)}" y="${plot.y + plot.h + 19}" text-anchor="middle" fill="#374151">${v.toFixed(decimals(x.step))}</text>`)
  }
  out.push(`<rect x="${plot.x}" y="${plot.y}" width="${plot.w}" height="${plot.h}" fill="none" stroke="#9ca3af"/>`)
  out.push(`<text x="${plot.x + plot.w / 2}" y="${height - 10}" text-anchor="middle" fill="#111827">${escape(opts.xLabel ?? 'seconds since start')}</text>`)
  out.push(`<text transform="translate(16 ${plot.y + plot.h / 2}) rotate(-90)" text-anchor="middle" fill="#111827">${escape(opts.yLabel ?? 'MB/s (MB = 2^20 bytes)')}</text>`)
  // one path per series
  for (const s of series) {
    if (s.points.length === 0) continue
    const d = s.points.map(([vx, vy], i) => `${i === 0 ? 'M' : 'L'}${px(vx)} ${py(vy)}`).join(' ')
    out.push(`<path class="series" data-name="${escape(s.name)}" d="${d}" fill="none" stroke="${s.color}" stroke-width="2" stroke-linejoin="round"${s.dashed === true ? ' stroke-dasharray="6 4"' : ''}/>`)
  }
  // legend: one row above the plot, so it never hides a line
  let legendX = plot.x
  for (const s of series) {
    const ly = plot.y - 14
    out.push(`<line x1="${legendX}" x2="${legendX + 22}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="3"${s.dashed === true ? ' stroke-dasharray="6 4"' : ''}/>`)
    out.push(`<text x="${legendX + 28}" y="${ly}" fill="#111827">${escape(s.name)}</text>`)
    legendX += 28 + s.name.length * 7 + 24 // ~7 px per character at 12 px
  }
  out.push('</svg>')
  return out.join('\n') + '\n'
}

function round (v: number): number {
  return Math.round(v * 10) / 10
}

function ticks (axis: { max: number, step: number }): number[] {
  const count = Math.round(axis.max / axis.step)
  return Array.from({ length: count + 1 }, (_, i) => i * axis.step)
}

/** Decimals a tick label needs to show the step exactly (0.25 → 2, 5 → 0). */
function decimals (step: number): number {
  for (let d = 0; d < 6; d++) if (Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) < 1e-6) return d
  return 6
}

function escape (text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')
}

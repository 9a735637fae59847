import jsQR from 'jsqr'
import { describe, expect, it } from 'vitest'
import { qrImageUrl } from '../../app/ui/qr-image.ts'

/** Rasterise the SVG we render (a white square, then one 'Mx,yh8v8h-8z' square per dark module) into RGBA pixels. */
function rasterise (url: string): { data: Uint8ClampedArray, size: number } {
  const svg = decodeURIComponent(url.slice(url.indexOf(',') + 1))
  const size = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)?.[1])
  const data = new Uint8ClampedArray(size * size * 4).fill(255)
  const path = /<path[^>]*d="([^"]+)"/.exec(svg)?.[1] ?? ''
  for (const [, x, y, w] of path.matchAll(/M(\d+),(\d+)h(\d+)v\d+h-\d+z/g)) {
    const [left, top, side] = [Number(x), Number(y), Number(w)]
    for (let row = top; row < top + side; row++) {
      for (let col = left; col < left + side; col++) data.fill(0, (row * size + col) * 4, (row * size + col) * 4 + 3)
    }
  }
  return { data, size }
}

describe('QR code of a share link', () => {
  it('decodes back to the exact link, as a phone camera would read it', () => {
    const link = 'https://chiral.example.com/#/bafybeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku'
    const { data, size } = rasterise(qrImageUrl(link))
    expect(size).toBeGreaterThan(100)
    expect(jsQR(data, size, size)?.data).toBe(link)
  })
})

import { renderSVG } from 'uqr'

/**
 * A QR code of `text` as an SVG data URL for an <img>: a phone's camera opens
 * the share link without typing it. Black on white with the standard quiet
 * zone (4 modules), whatever the page's colour scheme, so cameras read it.
 */
export function qrImageUrl (text: string): string {
  const svg = renderSVG(text, { border: 4, pixelSize: 8, whiteColor: '#ffffff', blackColor: '#000000' })
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`
}

import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

/** Gzipped size (level 9, each file alone, as a server would send it) of the built app's JS and CSS. */
export function bundleSize (dist: string): { gzipKB: number, rawKB: number, files: number, serviceWorkerGzipKB: number } {
  const assets = join(dist, 'assets')
  const files = readdirSync(assets).filter(name => /\.(js|css)$/.test(name))
  if (files.length === 0) throw new Error(`no JS/CSS in ${assets}: build the app first`)
  let gzip = 0
  let raw = 0
  for (const name of files) {
    const bytes = readFileSync(join(assets, name))
    raw += bytes.byteLength
    gzip += gzipSync(bytes, { level: 9 }).byteLength
  }
  let serviceWorkerGzipKB = 0
  try { serviceWorkerGzipKB = gzipSync(readFileSync(join(dist, 'sw.js')), { level: 9 }).byteLength / 1024 } catch {}
  return { gzipKB: gzip / 1024, rawKB: raw / 1024, files: files.length, serviceWorkerGzipKB }
}

import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

export interface BundleSize {
  gzipKB: number
  rawKB: number
  files: number
  serviceWorkerGzipKB: number
  /** What the first screen needs: index.html's entry script, everything it imports statically, and the CSS. */
  shellGzipKB: number
  /** Loaded after the shell (dynamic imports): the peer, app/core with libp2p. */
  peerGzipKB: number
}

/** Gzipped size (level 9, each file alone, as a server would send it) of the built app's JS and CSS, whole and split into shell and peer. */
export function bundleSize (dist: string): BundleSize {
  const assets = join(dist, 'assets')
  const files = readdirSync(assets).filter(name => /\.(js|css)$/.test(name))
  if (files.length === 0) throw new Error(`no JS/CSS in ${assets}: build the app first`)
  const gzipOf = new Map<string, number>()
  let raw = 0
  for (const name of files) {
    const bytes = readFileSync(join(assets, name))
    raw += bytes.byteLength
    gzipOf.set(name, gzipSync(bytes, { level: 9 }).byteLength)
  }
  const shell = shellFiles(dist, assets)
  const sum = (names: Iterable<string>): number => [...names].reduce((total, name) => total + (gzipOf.get(name) ?? 0), 0) / 1024
  let serviceWorkerGzipKB = 0
  try { serviceWorkerGzipKB = gzipSync(readFileSync(join(dist, 'sw.js')), { level: 9 }).byteLength / 1024 } catch {}
  return {
    gzipKB: sum(files),
    rawKB: raw / 1024,
    files: files.length,
    serviceWorkerGzipKB,
    shellGzipKB: sum(shell),
    peerGzipKB: sum(files.filter(name => name.endsWith('.js') && !shell.has(name)))
  }
}

/** index.html's scripts and styles under /assets/, and the chunks those scripts import statically (not `import()`), transitively. */
function shellFiles (dist: string, assets: string): Set<string> {
  const html = readFileSync(join(dist, 'index.html'), 'utf8')
  // scripts and stylesheets only: a modulepreload link (the peer chunk) is fetched beside the shell, not needed for it
  const tags = [...html.matchAll(/<(?:script|link)\b[^>]*>/g)].map(m => m[0]).filter(tag => !tag.includes('modulepreload'))
  const shell = new Set(tags.flatMap(tag => [...tag.matchAll(/(?:src|href)="\/assets\/([\w.-]+\.(?:js|css))"/g)].map(m => m[1]!)))
  const queue = [...shell].filter(name => name.endsWith('.js'))
  for (let name = queue.pop(); name != null; name = queue.pop()) {
    const code = readFileSync(join(assets, name), 'utf8')
    for (const [, dep] of code.matchAll(/(?:\bfrom|\bimport)\s*["']\.\/([\w.-]+\.js)["']/g)) {
      if (dep != null && !shell.has(dep)) { shell.add(dep); queue.push(dep) }
    }
  }
  return shell
}

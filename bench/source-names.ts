import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Maps a position in a minified dist/ script back to its source file and function. */
export type Resolve = (file: string, line: number, column: number) => string | undefined

interface Consumer { originalPositionFor(pos: { line: number, column: number }): { source: string | null, line: number | null, name: string | null } }

const MAP_COMMENT = /\n?\/\/# sourceMappingURL=\S+\s*$/

/**
 * Profiles of the production build show minified names. Build the same app again
 * with source maps into a scratch directory; where a script is byte-identical to
 * dist/'s (but for the map comment), its map names dist/'s positions.
 * Uses source-map-js (which Vite brings along) if it can be loaded; otherwise no names.
 */
export async function sourceResolver (root: string, dist: string, log: (line: string) => void): Promise<Resolve | undefined> {
  let SourceMapConsumer: new (map: unknown) => Consumer
  try {
    ({ SourceMapConsumer } = await import('source-map-js' as string) as { SourceMapConsumer: new (map: unknown) => Consumer })
  } catch {
    log('source-map-js not found: profile names stay minified')
    return undefined
  }
  const out = mkdtempSync(join(tmpdir(), 'chiral-bench-maps-'))
  try {
    log('building once more with source maps (for profile names only)')
    const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js')
    const code = await new Promise<number | null>(resolve => {
      const child = spawn(process.execPath, [vite, 'build', '--sourcemap', '--outDir', out, '--emptyOutDir', '--logLevel', 'error'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
      child.on('exit', resolve)
      child.on('error', () => { resolve(-1) })
    })
    if (code !== 0) { log('the source-map build failed: profile names stay minified'); return undefined }
    const mapped = new Map<string, string>() // stripped code → map file
    for (const name of readdirSync(join(out, 'assets')).filter(n => n.endsWith('.js'))) {
      const mapFile = join(out, 'assets', `${name}.map`)
      if (existsSync(mapFile)) mapped.set(readFileSync(join(out, 'assets', name), 'utf8').replace(MAP_COMMENT, ''), readFileSync(mapFile, 'utf8'))
    }
    const consumers = new Map<string, Consumer>()
    for (const name of readdirSync(join(dist, 'assets')).filter(n => n.endsWith('.js'))) {
      const map = mapped.get(readFileSync(join(dist, 'assets', name), 'utf8').replace(MAP_COMMENT, ''))
      if (map != null) consumers.set(name, new SourceMapConsumer(JSON.parse(map)))
    }
    if (consumers.size === 0) { log('dist/ differs from the source-map build: profile names stay minified'); return undefined }
    return (file, line, column) => {
      const pos = consumers.get(file)?.originalPositionFor({ line, column })
      if (pos?.source == null) return undefined
      const source = pos.source.replace(/^(\.\.\/)+/, '').replace(/^.*node_modules\//, '')
      return `${source}:${pos.line ?? '?'}`
    }
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
}

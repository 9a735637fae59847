import { realpath, stat } from 'node:fs/promises'
import { isAbsolute, join, posix, relative, sep } from 'node:path'
import type { Stats } from 'node:fs'

export type StaticLookup =
  | { kind: 'file', path: string, stats: Stats }
  | { kind: 'bad-request' }
  | { kind: 'not-found' }
  /** dist/index.html is missing: the app was never built. */
  | { kind: 'not-built' }

const INDEX_FILE = 'index.html'

/**
 * Map a URL path to a file under `distDir`, never outside it (no `..`, no
 * encoded separators, no symlinks out). Unknown paths that do not look like
 * files fall back to index.html so client-side routes survive a reload.
 */
export async function lookupStatic (distDir: string, urlPath: string): Promise<StaticLookup> {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return { kind: 'bad-request' }
  }
  if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/')) return { kind: 'bad-request' }
  // normalising an absolute path can never climb above "/"
  const clean = posix.normalize(decoded)
  const segments = clean.split('/').filter(s => s !== '')
  if (segments.some(s => s === '..')) return { kind: 'bad-request' }

  const root = await realDir(distDir)
  if (root == null) return { kind: 'not-built' }

  const candidate = join(root, ...segments)
  const found = await fileInside(root, candidate) ?? await fileInside(root, join(candidate, INDEX_FILE))
  if (found != null) return found

  const last = segments.at(-1) ?? ''
  const looksLikeFile = last.includes('.') || segments[0] === 'assets'
  if (looksLikeFile) return { kind: 'not-found' }
  return await fileInside(root, join(root, INDEX_FILE)) ?? { kind: 'not-built' }
}

async function realDir (dir: string): Promise<string | undefined> {
  try {
    return await realpath(dir)
  } catch {
    return undefined
  }
}

/** The regular file at `path`, if it exists and (after symlinks) lies inside `root`. */
async function fileInside (root: string, path: string): Promise<StaticLookup | undefined> {
  let real: string
  let stats: Stats
  try {
    real = await realpath(path)
    stats = await stat(real)
  } catch {
    return undefined
  }
  const rel = relative(root, real)
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined
  return stats.isFile() ? { kind: 'file', path: real, stats } : undefined
}

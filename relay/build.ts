import { spawn } from 'node:child_process'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { BuildError } from './errors.ts'

/** What the app is built from; a change to any of them makes dist/ stale. */
export const BUILD_INPUTS = ['app', 'public', 'vite.config.ts']
export const DIST_DIR = 'dist'
const BUILD_MARKER = join(DIST_DIR, 'index.html')
const SKIPPED_DIRS = new Set(['node_modules', '.git'])

/** True when dist/index.html is missing or older than any build input. */
export async function isBuildStale (root: string, options: { signal?: AbortSignal } = {}): Promise<boolean> {
  const built = await mtimeOf(join(root, BUILD_MARKER))
  if (built == null) return true
  for (const input of BUILD_INPUTS) {
    options.signal?.throwIfAborted()
    if ((await newestMtime(join(root, input))) > built) return true
  }
  return false
}

/**
 * Run `vite build` in `root` as a child process. Its output goes to our stderr,
 * so stdout carries only the relay's own lines.
 */
export async function buildApp (root: string, options: { signal?: AbortSignal } = {}): Promise<void> {
  const vite = join(root, 'node_modules', '.bin', 'vite')
  if (await mtimeOf(vite) == null) {
    throw new BuildError(`Cannot build the app: ${vite} is missing. Run "npm install", or start with --no-build to serve dist/ as it is.`)
  }
  // run it on our own Node rather than whatever `node` comes first on PATH
  const child = spawn(process.execPath, [vite, 'build'], {
    cwd: root,
    stdio: ['ignore', process.stderr, process.stderr],
    signal: options.signal
  })
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', err => {
      reject(new BuildError(`Could not start the app build (${vite}): ${err.message}. Run "npm install", or start with --no-build to serve dist/ as it is.`, { cause: err }))
    })
    child.once('exit', (exitCode, signal) => { resolve(signal != null ? null : exitCode) })
  })
  if (code !== 0) {
    throw new BuildError(`Building the app failed (vite build ${code == null ? 'was killed' : `exited with code ${code}`}; see its output above). Fix the build, or start with --no-build to serve dist/ as it is.`)
  }
}

async function mtimeOf (path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mtimeMs
  } catch {
    return undefined
  }
}

/** Newest modification time of a file or of any file under a directory; 0 when absent. */
async function newestMtime (path: string): Promise<number> {
  let entries
  try {
    entries = await readdir(path, { withFileTypes: true })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') return await mtimeOf(path) ?? 0
    return 0
  }
  let newest = 0
  for (const entry of entries) {
    if (SKIPPED_DIRS.has(entry.name)) continue
    const child = join(path, entry.name)
    const mtime = entry.isDirectory() ? await newestMtime(child) : await mtimeOf(child) ?? 0
    if (mtime > newest) newest = mtime
  }
  return newest
}

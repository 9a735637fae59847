/// <reference lib="webworker" />
/**
 * The app shell: precached at install from asset-manifest.json, so the page
 * opens offline. Navigations go to the network first (a fresh index.html
 * whenever the relay is up), hashed `/assets/*` come from the cache first.
 */

declare const __CHIRAL_SW_VERSION__: string

export const SHELL_CACHE_PREFIX = 'chiral-shell-'
export const SHELL_CACHE = `${SHELL_CACHE_PREFIX}${__CHIRAL_SW_VERSION__}`
const INDEX = '/index.html'

interface AssetManifest {
  version: string
  files: string[]
}

async function loadManifest (): Promise<string[]> {
  try {
    const res = await fetch('/asset-manifest.json', { cache: 'no-store' })
    if (!res.ok) return [INDEX]
    const manifest = await res.json() as AssetManifest
    return Array.isArray(manifest.files) ? manifest.files : [INDEX]
  } catch {
    return [INDEX] // dev server, or offline during install
  }
}

/**
 * Cache every shell file. One missing file must not fail the install: the
 * worker also streams saved files, which matters more than a complete precache.
 */
export async function precacheShell (): Promise<void> {
  const cache = await caches.open(SHELL_CACHE)
  const files = await loadManifest()
  if (!files.includes(INDEX)) files.push(INDEX)
  await Promise.all(files.map(async (file) => {
    try {
      await cache.add(new Request(file, { cache: 'reload' }))
    } catch (err) {
      console.warn('chiral sw: could not precache', file, err)
    }
  }))
}

/** Drop the caches of older workers. */
export async function deleteOldShells (): Promise<void> {
  for (const key of await caches.keys()) {
    if (key.startsWith(SHELL_CACHE_PREFIX) && key !== SHELL_CACHE) await caches.delete(key)
  }
}

/** Navigation: network first; offline (or a server error) falls back to the cached index.html. */
export async function navigate (request: Request): Promise<Response> {
  try {
    const res = await fetch(request)
    if (res.ok && new URL(request.url).pathname === '/' && isHtml(res)) {
      const cache = await caches.open(SHELL_CACHE)
      await cache.put(INDEX, res.clone())
    }
    if (res.status < 500) return res
    return await cachedIndex() ?? res
  } catch (err) {
    const cached = await cachedIndex()
    if (cached != null) return cached
    throw err
  }
}

/** Hashed, immutable files: cache first, and keep what the network gives. */
export async function cacheFirst (request: Request): Promise<Response> {
  const cache = await caches.open(SHELL_CACHE)
  const hit = await cache.match(request)
  if (hit != null) return hit
  const res = await fetch(request)
  if (res.ok && request.method === 'GET') await cache.put(request, res.clone())
  return res
}

/** Everything else of the shell (manifest, icons): network first, cache when offline. */
export async function networkFirst (request: Request): Promise<Response> {
  try {
    return await fetch(request)
  } catch (err) {
    const hit = await caches.match(request, { cacheName: SHELL_CACHE })
    if (hit != null) return hit
    throw err
  }
}

async function cachedIndex (): Promise<Response | undefined> {
  return await caches.match(INDEX, { cacheName: SHELL_CACHE })
}

function isHtml (res: Response): boolean {
  return res.headers.get('content-type')?.includes('text/html') === true
}

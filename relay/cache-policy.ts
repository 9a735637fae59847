/** Vite puts content-hashed files under /assets/: their URL changes with their bytes. */
export const IMMUTABLE = 'public, max-age=31536000, immutable'
/**
 * Everything else (index.html, sw.js, *.webmanifest, bootstrap.json, icons) keeps
 * its URL across builds, so the browser revalidates every time (cheap with ETag).
 */
export const REVALIDATE = 'no-cache'

/** Cache-Control for a URL path served by the relay. */
export function cacheControlFor (urlPath: string): string {
  return urlPath.startsWith('/assets/') ? IMMUTABLE : REVALIDATE
}

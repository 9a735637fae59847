/**
 * The URL the service worker answers with a streamed file:
 * `/save/<rootCid>/<path>`, the whole path percent-encoded as one segment
 * (slashes included), so no `.`/`..` segment inside a path is ever normalised
 * away. A path that is exactly `.` or `..` (not a valid UnixFS name) collapses
 * under URL parsing into a link that parseSaveUrl rejects: it cannot escape.
 */
export const SAVE_PREFIX = '/save/'
/** The same file for viewing in the page (inline, HTTP Range, readable while it downloads). */
export const MEDIA_PREFIX = '/media/'

export function saveUrl (rootCid: string, path: string): string {
  return `${SAVE_PREFIX}${encodeSegment(rootCid)}/${encodeSegment(path)}`
}

export function mediaUrl (rootCid: string, path: string): string {
  return `${MEDIA_PREFIX}${encodeSegment(rootCid)}/${encodeSegment(path)}`
}

export function parseSaveUrl (pathname: string, prefix = SAVE_PREFIX): { cid: string, path: string } | undefined {
  if (!pathname.startsWith(prefix)) return undefined
  const rest = pathname.slice(prefix.length)
  const slash = rest.indexOf('/')
  if (slash <= 0 || slash === rest.length - 1) return undefined
  try {
    const cid = decodeURIComponent(rest.slice(0, slash))
    const path = decodeURIComponent(rest.slice(slash + 1))
    if (cid === '' || path === '') return undefined
    return { cid, path }
  } catch {
    return undefined // malformed percent-encoding
  }
}

function encodeSegment (s: string): string {
  return encodeURIComponent(s)
}

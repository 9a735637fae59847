/**
 * The URL the service worker answers with a streamed zip of a share:
 * `/zip/<rootCid>/<name>.zip` (the name is only what the browser shows;
 * the worker picks the entries' folder itself).
 */
export const ZIP_PREFIX = '/zip/'

export function zipUrl (rootCid: string, name: string): string {
  return `${ZIP_PREFIX}${encodeURIComponent(rootCid)}/${encodeURIComponent(name)}.zip`
}

export function parseZipUrl (pathname: string): { cid: string } | undefined {
  if (!pathname.startsWith(ZIP_PREFIX)) return undefined
  const rest = pathname.slice(ZIP_PREFIX.length)
  const slash = rest.indexOf('/')
  if (slash <= 0) return undefined
  try {
    const cid = decodeURIComponent(rest.slice(0, slash))
    return cid === '' ? undefined : { cid }
  } catch {
    return undefined
  }
}

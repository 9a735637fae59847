/// <reference lib="webworker" />
/**
 * `GET /media/<rootCid>/<path>`: one file of a share for viewing in the page
 * (audio, video, images, PDF), inline, with HTTP Range (206, 416,
 * Accept-Ranges) so a player can seek. Works while the share downloads: a
 * block that is not stored yet is fetched first by the downloading page
 * (fetching-source.ts), so the bytes asked for arrive before the rest.
 */
import { resolveFile } from '../core/content/read-file.ts'
import { MEDIA_READ_AHEAD_BLOCKS } from '../core/constants.ts'
import { openUnixfsFile } from '../core/content/file-reader.ts'
import { parseCidInput } from '../core/content/parse-cid.ts'
import { sanitizeFileName } from '../core/content/file-name.ts'
import { pullStream } from './block-stream.ts'
import { asciiFallback, baseName, encodeRfc8187 } from './content-disposition.ts'
import { fetchingSource } from './fetching-source.ts'
import { mediaType } from './media-type.ts'
import { contentRange, parseRange } from './range-header.ts'
import { textResponse } from './route-response.ts'
import { withStore } from './store-route.ts'
import { MEDIA_PREFIX, parseSaveUrl } from './save-url.ts'

/**
 * Shown as a document only in a sandbox with nothing allowed (an opened PDF
 * needs the browser's viewer, which a sandbox blocks, and runs no page script).
 */
function securityHeaders (type: string): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': type === 'application/pdf' ? "default-src 'none'" : "default-src 'none'; sandbox",
    'Cross-Origin-Resource-Policy': 'same-origin'
  }
}

export async function handleMedia (request: Request, clients: Clients): Promise<Response> {
  const target = parseSaveUrl(new URL(request.url).pathname, MEDIA_PREFIX)
  if (target == null) return textResponse(400, 'This link is malformed.')

  return withStore(async (store, handOver) => {
    const source = fetchingSource(store, clients, parseCidInput(target.cid).toString())
    const signal = request.signal
    const file = await openUnixfsFile(source, await resolveFile(source, target.cid, target.path, { signal }), { signal })
    const type = mediaType(target.path)
    const name = sanitizeFileName(baseName(target.path))
    const headers: Record<string, string> = {
      'Content-Type': type,
      'Content-Disposition': `inline; filename="${asciiFallback(name)}"; filename*=UTF-8''${encodeRfc8187(name)}`,
      'Accept-Ranges': 'bytes',
      'Cache-Control': 'no-store',
      ...securityHeaders(type)
    }
    const range = parseRange(request.headers.get('Range'), file.size)
    if (range === 'unsatisfiable') {
      return textResponse(416, 'That range is outside the file.', { 'Content-Range': `bytes */${file.size}`, 'Accept-Ranges': 'bytes' })
    }
    const { start, end } = range ?? { start: 0, end: file.size }
    if (range != null) headers['Content-Range'] = contentRange(range, file.size)
    headers['Content-Length'] = String(end - start)
    const status = range != null ? 206 : 200
    if (request.method === 'HEAD') return new Response(null, { status, headers })

    const abort = new AbortController()
    const body = pullStream(file.read({ start, end, readAhead: MEDIA_READ_AHEAD_BLOCKS, signal: abort.signal })[Symbol.asyncIterator](), abort, async () => { await store.close() })
    handOver()
    return new Response(body, { status, headers })
  })
}

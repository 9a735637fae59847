/// <reference lib="webworker" />
/**
 * `GET /save/<rootCid>/<path>`: stream one stored file out of IndexedDB as an
 * ordinary browser download. Pull-based over the bounded reader: a block is
 * read only when the browser asks for more, so backpressure holds and no
 * whole-file buffer exists.
 */
import { listFiles } from '../core/content/read-file.ts'
import { openUnixfsFile } from '../core/content/file-reader.ts'
import { parseCidInput } from '../core/content/parse-cid.ts'
import { sanitizeFileName } from '../core/content/file-name.ts'
import { openIdbStore } from '../core/storage/idb-store.ts'
import { pullStream } from './block-stream.ts'
import { baseName, contentDisposition } from './content-disposition.ts'
import { errorResponse, textResponse } from './route-response.ts'
import { parseSaveUrl } from './save-url.ts'

type Store = Awaited<ReturnType<typeof openIdbStore>>

export async function handleSave (request: Request): Promise<Response> {
  const target = parseSaveUrl(new URL(request.url).pathname)
  if (target == null) return textResponse(400, 'This save link is malformed.')

  let store: Store
  try {
    store = await openIdbStore()
  } catch (err) {
    return errorResponse(err)
  }

  let handedOver = false
  try {
    const record = await store.getShare(target.cid)
    if (record != null && !record.complete) {
      return textResponse(409, 'This share has not finished downloading yet. Go back to Chiral and let it complete.')
    }
    const files = await listFiles(store, target.cid)
    const listed = files.find(f => f.path === target.path)
    if (listed == null) return textResponse(404, `"${target.path}" is not part of this share.`)
    const file = await openUnixfsFile(store, parseCidInput(listed.cid))

    const headers = new Headers({
      'Content-Type': 'application/octet-stream',
      'Content-Disposition': contentDisposition(sanitizeFileName(baseName(listed.path))),
      'Content-Length': String(file.size),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff'
    })
    if (request.method === 'HEAD') return new Response(null, { status: 200, headers })

    const abort = new AbortController()
    const body = pullStream(file.read({ signal: abort.signal })[Symbol.asyncIterator](), abort, async () => { await store.close() })
    handedOver = true
    return new Response(body, { status: 200, headers })
  } catch (err) {
    return errorResponse(err)
  } finally {
    if (!handedOver) await store.close().catch(() => {})
  }
}

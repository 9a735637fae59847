/// <reference lib="webworker" />
/**
 * `GET /save/<rootCid>/<path>`: stream one stored file out of IndexedDB as an
 * ordinary browser download. Pull-based over the bounded reader: a block is
 * read only when the browser asks for more, so backpressure holds and no
 * whole-file buffer exists.
 */
import { CID } from 'multiformats/cid'
import { fileStored } from '../core/content/file-stored.ts'
import { listTree } from '../core/content/list-tree.ts'
import { openUnixfsFile } from '../core/content/file-reader.ts'
import { sanitizeFileName } from '../core/content/file-name.ts'
import { pullStream } from './block-stream.ts'
import { baseName, contentDisposition } from './content-disposition.ts'
import { textResponse } from './route-response.ts'
import { withStore } from './store-route.ts'
import { parseSaveUrl } from './save-url.ts'

export async function handleSave (request: Request): Promise<Response> {
  const target = parseSaveUrl(new URL(request.url).pathname)
  if (target == null) return textResponse(400, 'This save link is malformed.')

  return withStore(async (store, handOver) => {
    const record = await store.getShare(target.cid)
    // paths are the safe ones a download shows (ShareTree), not the names as sent
    const files = await listTree(store, target.cid)
    const listed = files.find(f => f.path === target.path)
    if (listed == null) return textResponse(404, `"${target.path}" is not part of this share.`)
    // an unfinished share: a file that is wholly here (picked, or simply first) can be saved
    if (record != null && !record.complete && !await fileStored(store, listed.cid)) {
      return textResponse(409, 'This file has not finished downloading yet. Go back to Chiral and let it complete.')
    }
    const file = await openUnixfsFile(store, CID.parse(listed.cid))

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
    handOver()
    return new Response(body, { status: 200, headers })
  })
}

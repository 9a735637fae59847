/// <reference lib="webworker" />
/**
 * `GET /save/<rootCid>/<path>`: stream one stored file out of IndexedDB as an
 * ordinary browser download. Pull-based: a block is read only when the
 * browser asks for more, so backpressure holds and no whole-file buffer exists.
 */
import { fileStored } from '../core/content/file-stored.ts'
import { listTree } from '../core/content/list-tree.ts'
import { readFile } from '../core/content/read-file.ts'
import { sanitizeFileName } from '../core/content/file-name.ts'
import { openIdbStore } from '../core/storage/idb-store.ts'
import { baseName, contentDisposition } from './content-disposition.ts'
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
    // paths are the safe ones a download shows (ShareTree), not the names as sent
    const files = await listTree(store, target.cid)
    const file = files.find(f => f.path === target.path)
    if (file == null) return textResponse(404, `"${target.path}" is not part of this share.`)
    // an unfinished share: a file that is wholly here (picked, or simply first) can be saved
    if (record != null && !record.complete && !await fileStored(store, file.cid)) {
      return textResponse(409, 'This file has not finished downloading yet. Go back to Chiral and let it complete.')
    }

    const headers = new Headers({
      'Content-Type': 'application/octet-stream',
      'Content-Disposition': contentDisposition(sanitizeFileName(baseName(file.path))),
      'Content-Length': String(file.size),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff'
    })
    if (request.method === 'HEAD') return new Response(null, { status: 200, headers })

    const body = fileStream(store, file.cid, '')
    handedOver = true
    return new Response(body, { status: 200, headers })
  } catch (err) {
    return errorResponse(err)
  } finally {
    if (!handedOver) await store.close().catch(() => {})
  }
}

/** A pull-based stream over readFile; closes the store when done, failed or cancelled. */
function fileStream (store: Store, cid: string, path: string): ReadableStream<Uint8Array> {
  const abort = new AbortController()
  const chunks = readFile(store, cid, path, { signal: abort.signal })[Symbol.asyncIterator]()
  let closed = false
  const finish = async (): Promise<void> => {
    if (closed) return
    closed = true
    await store.close().catch(() => {})
  }
  return new ReadableStream<Uint8Array>({
    async pull (controller) {
      try {
        for (;;) {
          const next = await chunks.next()
          if (next.done === true) {
            controller.close()
            await finish()
            return
          }
          if (next.value.byteLength > 0) {
            controller.enqueue(next.value)
            return
          }
        }
      } catch (err) {
        controller.error(err)
        await finish()
      }
    },
    async cancel () {
      abort.abort()
      await chunks.return(undefined).catch(() => undefined)
      await finish()
    }
  }, { highWaterMark: 1 })
}

function errorResponse (err: unknown): Response {
  const name = err instanceof Error ? err.name : ''
  switch (name) {
    case 'InvalidCidError':
      return textResponse(400, 'This save link does not contain a valid CID.')
    case 'BlockNotFoundError':
      return textResponse(404, 'This file is not stored in this browser (or only partly). Download it again in Chiral.')
    case 'UnsupportedContentError':
      return textResponse(415, err instanceof Error ? err.message : 'Unsupported content.')
    default:
      return textResponse(500, `Could not read the file: ${err instanceof Error ? err.message : String(err)}`)
  }
}

function textResponse (status: number, message: string): Response {
  return new Response(`${message}\n`, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }
  })
}

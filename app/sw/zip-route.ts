/// <reference lib="webworker" />
/**
 * `GET /zip/<rootCid>/<name>.zip`: the whole share (or, while it is
 * unfinished, the files the person picked) as one zip, streamed by
 * client-zip (stored entries, no compression: the data is mostly already
 * compressed and the worker stays light). Pull-based end to end: client-zip
 * asks for the next file only when the previous one is written, and each
 * file's block is read only when the browser asks for more, so no file is
 * ever whole in memory.
 */
import { makeZip, predictLength } from 'client-zip'
import { fileStored } from '../core/content/file-stored.ts'
import { listTree } from '../core/content/list-tree.ts'
import { readFile } from '../core/content/read-file.ts'
import { contentDisposition } from './content-disposition.ts'
import { planZip } from './zip-entries.ts'
import { parseZipUrl } from './zip-url.ts'
import type { TreeFile } from '../core/content/share-tree.ts'
import { withStore, type RouteStore } from './store-route.ts'

type Store = RouteStore

export async function handleZip (request: Request): Promise<Response> {
  const target = parseZipUrl(new URL(request.url).pathname)
  if (target == null) return text(400, 'This zip link is malformed.')
  return withStore(async (store, handOver) => {
    const record = await store.getShare(target.cid)
    let files = await listTree(store, target.cid)
    if (record != null && !record.complete) {
      // unfinished: only what the person picked, and only once all of it is here
      const picked = new Set(record.selection ?? [])
      files = files.filter(f => picked.has(f.path))
      const stored = await Promise.all(files.map(async f => fileStored(store, f.cid)))
      if (files.length === 0 || stored.includes(false)) {
        return text(409, 'Not every file has finished downloading yet. Go back to Chiral and let them complete.')
      }
    }
    const plan = planZip(target.cid, files)
    const lastModified = new Date(record?.updatedAt ?? Date.now())
    const length = predictLength(plan.entries.map(e => ({ name: e.name, size: e.file.size, lastModified })))
    const headers = new Headers({
      'Content-Type': 'application/zip',
      'Content-Disposition': contentDisposition(`${plan.top}.zip`),
      'Content-Length': String(length),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff'
    })
    if (request.method === 'HEAD') return new Response(null, { status: 200, headers })
    const abort = new AbortController()
    const entries = (async function * () {
      try {
        for (const { name, file } of plan.entries) {
          yield { name, lastModified, size: file.size, input: pull(store, file, abort.signal) }
        }
      } finally {
        await store.close().catch(() => {})
      }
    })()
    const zip = makeZip(entries)
    const reader = zip.getReader()
    // the browser's cancel reaches the file being read, and the store is closed
    const body = new ReadableStream<Uint8Array>({
      async pull (controller) {
        try {
          const next = await reader.read()
          if (next.done) controller.close()
          else controller.enqueue(next.value)
        } catch (err) {
          controller.error(err)
          await store.close().catch(() => {})
        }
      },
      async cancel (reason) {
        abort.abort()
        await reader.cancel(reason).catch(() => {})
        await entries.return(undefined).catch(() => {})
        await store.close().catch(() => {})
      }
    }, { highWaterMark: 1 })
    handOver()
    return new Response(body, { status: 200, headers })
  }, failure)
}

/** One file's bytes, a block when asked for (readFile by the file's own CID: its path may hold any name). */
function pull (store: Store, file: TreeFile, signal: AbortSignal): ReadableStream<Uint8Array> {
  const chunks = readFile(store, file.cid, '', { signal })[Symbol.asyncIterator]()
  return new ReadableStream<Uint8Array>({
    async pull (controller) {
      for (;;) {
        const next = await chunks.next()
        if (next.done === true) { controller.close(); return }
        if (next.value.byteLength > 0) { controller.enqueue(next.value); return }
      }
    },
    async cancel () {
      await chunks.return(undefined).catch(() => undefined)
    }
  }, { highWaterMark: 1 })
}

function failure (err: unknown): Response {
  const name = err instanceof Error ? err.name : ''
  if (name === 'InvalidCidError') return text(400, 'This zip link does not contain a valid CID.')
  if (name === 'BlockNotFoundError') return text(404, 'This share is not stored in this browser (or only partly). Download it again in Chiral.')
  return text(500, `Could not make the zip: ${err instanceof Error ? err.message : String(err)}`)
}

function text (status: number, message: string): Response {
  return new Response(`${message}\n`, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } })
}

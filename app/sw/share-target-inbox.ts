/**
 * Files shared to Chiral from another app (Web Share Target) wait here between
 * the service worker that receives the POST and the page it redirects to.
 * One pending share at a time, in a Cache of its own: a new share replaces the
 * last, the page empties it once the files are shared, and a leftover older
 * than PENDING_TTL_MS is dropped by the next page that opens.
 * Used by both the worker (put) and the page (take, clear).
 */

export { SHARE_TARGET_ERROR_PARAM, SHARE_TARGET_PARAM, SHARE_TARGET_PATH } from '../core/protocol/share-target.ts'
/** The form field that carries the files (share_target.params.files[0].name); title, text and url keep their names. */
export const SHARE_TARGET_FILES = 'files'
export const INBOX_CACHE = 'chiral-share-target'
/** Another app decides how many files it sends; the drop zone takes many, but not without end. */
export const MAX_SHARED_FILES = 1000
/** title, text and url carry a sentence or a link; anything longer is cut. */
export const MAX_SHARED_TEXT = 8192
/** A pending share whose page never opened (closed at once, or the relay was down for long) is dropped after this. */
export const PENDING_TTL_MS = 60 * 60_000

export type SharedItemsReason = 'too-many' | 'unreadable' | 'storage' | 'lost' | 'empty' | 'unavailable'

export interface SharedFields {
  title: string
  text: string
  url: string
}

export interface PendingShare extends SharedFields {
  id: string
  createdAt: number
  files: File[]
}

interface Meta extends SharedFields {
  id: string
  createdAt: number
  files: Array<{ name: string, type: string, lastModified: number }>
}

/** What the inbox needs of CacheStorage (the page's and the worker's `caches`). */
export type InboxStorage = Pick<CacheStorage, 'open' | 'has' | 'delete'>

const META_KEY = '/share-target/pending/meta'
const fileKey = (index: number): string => `/share-target/pending/file-${index}`

/** Keep `files` and `fields` as the one pending share, replacing any earlier one; returns its id. */
export async function putPending (storage: InboxStorage, fields: SharedFields, files: readonly File[], now = Date.now()): Promise<string> {
  await storage.delete(INBOX_CACHE)
  const cache = await storage.open(INBOX_CACHE)
  const id = crypto.randomUUID()
  for (const [index, file] of files.entries()) {
    await cache.put(fileKey(index), new Response(file, { headers: { 'Content-Type': file.type === '' ? 'application/octet-stream' : file.type } }))
  }
  const meta: Meta = {
    ...fields,
    id,
    createdAt: now,
    files: files.map(f => ({ name: f.name, type: f.type, lastModified: f.lastModified }))
  }
  // written last: an inbox whose writing failed half-way has no meta, so it is never taken
  await cache.put(META_KEY, new Response(JSON.stringify(meta), { headers: { 'Content-Type': 'application/json' } }))
  return id
}

/** The pending share with this id, its files read back; undefined when it is gone, replaced or incomplete. */
export async function takePending (storage: InboxStorage, id: string): Promise<PendingShare | undefined> {
  if (!await storage.has(INBOX_CACHE)) return undefined
  const cache = await storage.open(INBOX_CACHE)
  const meta = await readMeta(cache)
  if (meta?.id !== id) return undefined
  const files: File[] = []
  for (const [index, info] of meta.files.entries()) {
    const stored = await cache.match(fileKey(index))
    if (stored == null) return undefined
    files.push(new File([await stored.blob()], info.name, { type: info.type, lastModified: info.lastModified }))
  }
  return { id: meta.id, createdAt: meta.createdAt, title: meta.title, text: meta.text, url: meta.url, files }
}

export async function clearPending (storage: InboxStorage): Promise<void> {
  await storage.delete(INBOX_CACHE)
}

/** Drop a pending share nobody picked up within PENDING_TTL_MS (or that cannot be read). */
export async function dropStalePending (storage: InboxStorage, now = Date.now()): Promise<boolean> {
  if (!await storage.has(INBOX_CACHE)) return false
  const meta = await readMeta(await storage.open(INBOX_CACHE))
  if (meta != null && now - meta.createdAt < PENDING_TTL_MS) return false
  await storage.delete(INBOX_CACHE)
  return true
}

/** The meta entry, checked for shape: it is ours, but storage outlives versions of this code. */
async function readMeta (cache: Pick<Cache, 'match'>): Promise<Meta | undefined> {
  const stored = await cache.match(META_KEY)
  if (stored == null) return undefined
  let value: unknown
  try {
    value = await stored.json()
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value == null) return undefined
  const meta = value as Partial<Meta>
  const strings = [meta.id, meta.title, meta.text, meta.url].every(s => typeof s === 'string')
  const files = Array.isArray(meta.files) && meta.files.every(f =>
    typeof f === 'object' && f != null && typeof f.name === 'string' && typeof f.type === 'string' && typeof f.lastModified === 'number')
  return strings && files && typeof meta.createdAt === 'number' ? meta as Meta : undefined
}

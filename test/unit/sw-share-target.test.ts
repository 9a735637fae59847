import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { handleShareTarget } from '../../app/sw/share-target-route.ts'
import {
  dropStalePending,
  INBOX_CACHE,
  MAX_SHARED_FILES,
  MAX_SHARED_TEXT,
  PENDING_TTL_MS,
  putPending,
  SHARE_TARGET_ERROR_PARAM,
  SHARE_TARGET_FILES,
  SHARE_TARGET_PARAM,
  SHARE_TARGET_PATH,
  takePending
} from '../../app/sw/share-target-inbox.ts'
import { errorText } from '../../app/ui/error-text.ts'
import { pickUpSharedItems, SharedItemsError, type PickUpDeps } from '../../app/ui/kernel/shared-items.ts'
import { MemoryCacheStorage } from '../helpers/memory-cache-storage.ts'

const ORIGIN = 'https://chiral.test'
const CID = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'

function post (form: FormData | string): Request {
  return new Request(`${ORIGIN}/share-target`, {
    method: 'POST',
    body: form,
    headers: typeof form === 'string' ? { 'Content-Type': 'multipart/form-data; boundary=nothing' } : undefined
  })
}

function shareForm (files: File[], fields: Record<string, string> = {}): FormData {
  const form = new FormData()
  for (const file of files) form.append('files', file)
  for (const [k, v] of Object.entries(fields)) form.append(k, v)
  return form
}

function redirectParams (res: Response): URLSearchParams {
  expect(res.status).toBe(303)
  const location = new URL(res.headers.get('Location') ?? '')
  expect(location.origin + location.pathname).toBe(`${ORIGIN}/`)
  return location.searchParams
}

describe('share target route (service worker)', () => {
  it('is what the web manifest registers: a multipart POST of any files, title, text and url', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../public/manifest.webmanifest', import.meta.url), 'utf8')) as { share_target: unknown }
    expect(manifest.share_target).toEqual({
      action: SHARE_TARGET_PATH,
      method: 'POST',
      enctype: 'multipart/form-data',
      params: { title: 'title', text: 'text', url: 'url', files: [{ name: SHARE_TARGET_FILES, accept: ['*/*'] }] }
    })
  })

  it('keeps the posted files and fields and sends the page to pick them up (303)', async () => {
    const storage = new MemoryCacheStorage()
    const a = new File(['hello'], 'a.txt', { type: 'text/plain' })
    const b = new File([new Uint8Array([0, 1, 2, 255])], 'b.bin')
    const res = await handleShareTarget(post(shareForm([a, b], { title: 'T', text: 'look', url: `${ORIGIN}/#/${CID}` })), storage)
    const id = redirectParams(res).get(SHARE_TARGET_PARAM)
    expect(id).toMatch(/^[0-9a-f-]{36}$/)

    const pending = await takePending(storage, id!)
    expect(pending).toMatchObject({ id, title: 'T', text: 'look', url: `${ORIGIN}/#/${CID}` })
    // multipart carries name and type (a browser sends octet-stream for none), not lastModified
    expect(pending!.files.map(f => [f.name, f.type, f.size])).toEqual([['a.txt', 'text/plain', 5], ['b.bin', 'application/octet-stream', 4]])
    expect(await pending!.files[0]!.text()).toBe('hello')
    expect([...new Uint8Array(await pending!.files[1]!.arrayBuffer())]).toEqual([0, 1, 2, 255])
  })

  it('keeps only the latest share, and an id that is not the pending one takes nothing', async () => {
    const storage = new MemoryCacheStorage()
    const first = redirectParams(await handleShareTarget(post(shareForm([new File(['1'], 'one')])), storage)).get(SHARE_TARGET_PARAM)!
    const second = redirectParams(await handleShareTarget(post(shareForm([new File(['2'], 'two')])), storage)).get(SHARE_TARGET_PARAM)!
    expect(await takePending(storage, first)).toBeUndefined()
    expect((await takePending(storage, second))?.files.map(f => f.name)).toEqual(['two'])
    expect((await storage.open(INBOX_CACHE) as unknown as { entries: Map<string, unknown> }).entries.size).toBe(2) // one file, one meta
  })

  it('bounds what another app can push: file count refused, long text cut', async () => {
    const storage = new MemoryCacheStorage()
    const many = Array.from({ length: MAX_SHARED_FILES + 1 }, (_, i) => new File([''], `f${i}`))
    expect(redirectParams(await handleShareTarget(post(shareForm(many)), storage)).get(SHARE_TARGET_ERROR_PARAM)).toBe('too-many')
    expect(await storage.has(INBOX_CACHE)).toBe(false)

    const id = redirectParams(await handleShareTarget(post(shareForm([], { text: 'x'.repeat(MAX_SHARED_TEXT + 10) })), storage)).get(SHARE_TARGET_PARAM)!
    expect((await takePending(storage, id))?.text.length).toBe(MAX_SHARED_TEXT)
  })

  it('an unreadable body or a full disk sends the page a reason, and leaves no half-written share', async () => {
    const storage = new MemoryCacheStorage()
    expect(redirectParams(await handleShareTarget(post('not multipart'), storage)).get(SHARE_TARGET_ERROR_PARAM)).toBe('unreadable')

    storage.failAfter = 1 // the second file does not fit
    const res = await handleShareTarget(post(shareForm([new File(['a'], 'a'), new File(['b'], 'b')])), storage)
    expect(redirectParams(res).get(SHARE_TARGET_ERROR_PARAM)).toBe('storage')
    expect(await storage.has(INBOX_CACHE)).toBe(false)
  })

  it('drops a share nobody picked up in time, and keeps a fresh one', async () => {
    const storage = new MemoryCacheStorage()
    const id = await putPending(storage, { title: '', text: '', url: '' }, [new File(['x'], 'x')], 1_000)
    expect(await dropStalePending(storage, 1_000 + PENDING_TTL_MS - 1)).toBe(false)
    expect(await takePending(storage, id)).toBeDefined()
    expect(await dropStalePending(storage, 1_000 + PENDING_TTL_MS)).toBe(true)
    expect(await takePending(storage, id)).toBeUndefined()
  })
})

describe('picking shared items up in the page', () => {
  function deps (storage: MemoryCacheStorage, href: string): PickUpDeps & { shared: File[][], opened: string[], reported: unknown[], urls: string[] } {
    const d = {
      shared: [] as File[][],
      opened: [] as string[],
      reported: [] as unknown[],
      urls: [] as string[],
      storage,
      location: { href },
      share: async (files: File[]) => { d.shared.push(files); expect(await storage.has(INBOX_CACHE)).toBe(true) },
      openCid: (cid: string) => { d.opened.push(cid) },
      report: (err: unknown) => { d.reported.push(err) },
      replaceUrl: (url: string) => { d.urls.push(url) }
    }
    return d
  }

  it('shares the files as dropped, opens a shared link, cleans the address and empties the inbox afterwards', async () => {
    const storage = new MemoryCacheStorage()
    const id = await putPending(storage, { title: '', text: `have a look: ${ORIGIN}/#/${CID}.`, url: '' }, [new File(['hi'], 'hi.txt')])
    const d = deps(storage, `${ORIGIN}/?${SHARE_TARGET_PARAM}=${id}&keep=1#/x`)
    await pickUpSharedItems(d)
    expect(d.urls).toEqual(['/?keep=1#/x'])
    expect(d.opened).toEqual([CID])
    expect(d.shared.map(files => files.map(f => f.name))).toEqual([['hi.txt']])
    expect(d.reported).toEqual([])
    expect(await storage.has(INBOX_CACHE)).toBe(false)
  })

  it('reports a share that is gone, or a reason the worker sent, by name', async () => {
    const storage = new MemoryCacheStorage()
    const gone = deps(storage, `${ORIGIN}/?${SHARE_TARGET_PARAM}=nope`)
    await pickUpSharedItems(gone)
    expect(gone.reported).toHaveLength(1)
    expect(gone.reported[0]).toBeInstanceOf(SharedItemsError)
    expect(gone.reported[0]).toMatchObject({ name: 'SharedItemsError', reason: 'lost' })

    const refused = deps(storage, `${ORIGIN}/?${SHARE_TARGET_ERROR_PARAM}=too-many`)
    await pickUpSharedItems(refused)
    expect(refused.reported[0]).toMatchObject({ name: 'SharedItemsError', reason: 'too-many' })
    expect(refused.urls).toEqual(['/'])
    expect(refused.shared).toEqual([])
  })

  it('says so when the other app shared neither files nor a Chiral link', async () => {
    const storage = new MemoryCacheStorage()
    const id = await putPending(storage, { title: 'hello', text: 'just words', url: 'https://example.com/' }, [])
    const d = deps(storage, `${ORIGIN}/?${SHARE_TARGET_PARAM}=${id}`)
    await pickUpSharedItems(d)
    expect(d.reported[0]).toMatchObject({ name: 'SharedItemsError', reason: 'empty' })
    expect(d).toMatchObject({ shared: [], opened: [] })
    expect(await storage.has(INBOX_CACHE)).toBe(false)
  })

  it('a plain page load shares nothing and leaves a fresh pending share for its own page', async () => {
    const storage = new MemoryCacheStorage()
    const id = await putPending(storage, { title: '', text: '', url: '' }, [new File(['x'], 'x')])
    const d = deps(storage, `${ORIGIN}/#/${CID}`)
    await pickUpSharedItems(d)
    expect(d).toMatchObject({ shared: [], opened: [], reported: [], urls: [] })
    expect(await takePending(storage, id)).toBeDefined()
  })

  it('each reason reads as its own sentence', () => {
    const reasons = ['too-many', 'unreadable', 'storage', 'lost', 'empty'] as const
    const sentences = reasons.map(r => errorText(new SharedItemsError(r)))
    for (const s of sentences) expect(s).toMatch(/\.$/)
    expect(new Set(sentences).size).toBe(reasons.length)
    expect(sentences[0]).toContain(String(MAX_SHARED_FILES))
  })
})

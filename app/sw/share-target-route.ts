/**
 * `POST /share-target` (the manifest's share_target): another app shares files
 * and/or a title, text or link with Chiral. The worker keeps them in the inbox
 * and answers 303 See Other to the page, which shares the files as if they had
 * been dropped and opens a shared Chiral link as a download.
 */
import {
  clearPending,
  MAX_SHARED_FILES,
  MAX_SHARED_TEXT,
  putPending,
  SHARE_TARGET_ERROR_PARAM,
  SHARE_TARGET_FILES,
  SHARE_TARGET_PARAM,
  type InboxStorage,
  type SharedFields,
  type SharedItemsReason
} from './share-target-inbox.ts'

export async function handleShareTarget (request: Request, storage: InboxStorage): Promise<Response> {
  let form: FormData
  try {
    form = await request.formData()
  } catch {
    return seeOther(request, SHARE_TARGET_ERROR_PARAM, 'unreadable' satisfies SharedItemsReason)
  }
  const files = form.getAll(SHARE_TARGET_FILES).filter((v): v is File => typeof v !== 'string')
  if (files.length > MAX_SHARED_FILES) return seeOther(request, SHARE_TARGET_ERROR_PARAM, 'too-many' satisfies SharedItemsReason)
  const fields: SharedFields = { title: field(form, 'title'), text: field(form, 'text'), url: field(form, 'url') }
  try {
    const id = await putPending(storage, fields, files)
    return seeOther(request, SHARE_TARGET_PARAM, id)
  } catch (err) {
    console.warn('chiral sw: could not keep the shared files', err)
    await clearPending(storage).catch(() => {})
    return seeOther(request, SHARE_TARGET_ERROR_PARAM, 'storage' satisfies SharedItemsReason)
  }
}

function field (form: FormData, name: string): string {
  const value = form.get(name)
  return typeof value === 'string' ? value.slice(0, MAX_SHARED_TEXT) : ''
}

/** 303: the browser follows with a GET, so a reload of the page never posts the files again. */
function seeOther (request: Request, param: string, value: string): Response {
  const location = new URL('/', request.url)
  location.searchParams.set(param, value)
  return new Response(null, { status: 303, headers: { Location: location.href, 'Cache-Control': 'no-store' } })
}

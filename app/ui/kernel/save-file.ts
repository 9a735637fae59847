import { saveUrl } from '../../sw/save-url.ts'

/** How long a hidden download frame is kept; the download itself is detached from it at once. */
const FRAME_LINGER_MS = 60_000

/** The service worker refused a save (file missing, share incomplete...): its message says why. */
export class SaveError extends Error {
  override readonly name = 'SaveError'
}

/**
 * Hand one stored file to the browser's download manager.
 *
 * First a GET that is cancelled as soon as the headers arrive, so a refusal
 * (404, 409...) becomes a sentence on the page instead of a failed download
 * or an error page. Then the same URL in a hidden frame: the service worker
 * streams it from IndexedDB as an attachment, the browser saves it under its
 * own name, and the page stays as it is. (`<a download>` is not used:
 * Chromium does not route such requests through the service worker.)
 */
export async function saveFile (cid: string, path: string): Promise<void> {
  await saveFromWorker(saveUrl(cid, path))
}

/** The same for any URL the service worker streams as an attachment (a file, a zip). */
export async function saveFromWorker (url: string): Promise<void> {
  const probe = await fetch(url, { cache: 'no-store' })
  if (!probe.ok) {
    const text = (await probe.text().catch(() => '')).trim()
    throw new SaveError(text !== '' ? text : `Saving failed (HTTP ${probe.status}).`)
  }
  await probe.body?.cancel().catch(() => {})
  const frame = document.createElement('iframe')
  frame.hidden = true
  frame.title = 'download'
  frame.src = url
  document.body.append(frame)
  setTimeout(() => { frame.remove() }, FRAME_LINGER_MS)
}

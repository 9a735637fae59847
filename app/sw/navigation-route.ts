/**
 * Navigations (the page itself): network first, so a reachable relay always
 * gives this version's index.html; offline, or on a server error, the
 * precached index.html of this worker's version opens the app anyway.
 */
const INDEX = '/index.html'

export interface NavigateDeps {
  fetch: (request: Request) => Promise<Response>
  /** The precached index.html (Workbox's matchPrecache), if any. */
  cachedIndex: (url: string) => Promise<Response | undefined>
}

export async function navigate (request: Request, deps: NavigateDeps): Promise<Response> {
  try {
    const res = await deps.fetch(request)
    if (res.status < 500) return res
    return await deps.cachedIndex(INDEX) ?? res
  } catch (err) {
    const cached = await deps.cachedIndex(INDEX)
    if (cached != null) return cached
    throw err
  }
}

/// <reference lib="webworker" />
/**
 * Chiral's service worker (emitted at /sw.js, registered as a module with
 * scope '/'): our own routes first (streamed Save, the share target, the
 * network-first page), then the app shell precached by Workbox. The list of
 * shell files and their revisions is put in at build time (vite-plugin-pwa,
 * injectManifest), so every deployment that changes the shell is a new worker.
 */
import { cleanupOutdatedCaches, matchPrecache, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching'
import { navigate } from './navigation-route.ts'
import { handleMedia } from './media-route.ts'
import { handleSave } from './save-route.ts'
import { MEDIA_PREFIX, SAVE_PREFIX } from './save-url.ts'
import { handleShareTarget } from './share-target-route.ts'
import { SHARE_TARGET_PATH } from './share-target-inbox.ts'
import { handleZip } from './zip-route.ts'
import { ZIP_PREFIX } from './zip-url.ts'

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<PrecacheEntry | string> }
/** This build's id (vite.config.ts), answered to `{ type: 'version' }`; the dev server defines it for pages only. */
declare const __CHIRAL_BUILD__: string | undefined
const BUILD_ID = typeof __CHIRAL_BUILD__ === 'string' ? __CHIRAL_BUILD__ : 'dev'

/** Caches of the hand-written worker this one replaces; nothing reads them any more. */
const LEGACY_SHELL_PREFIX = 'chiral-shell-'

self.addEventListener('install', () => {
  // the first worker takes the page at once (Save needs a controlled page); a later
  // version waits until the page's "update" prompt says SKIP_WAITING
  if (self.registration.active == null) void self.skipWaiting()
})

self.addEventListener('activate', (event) => {
  event.waitUntil(deleteLegacyShells().then(async () => { await self.clients.claim() }))
})

self.addEventListener('message', (event) => {
  const type = (event.data as { type?: unknown } | null)?.type
  if (type === 'SKIP_WAITING') {
    // the person pressed "Update now" (workbox-window's messageSkipWaiting)
    event.waitUntil(self.skipWaiting())
  } else if (type === 'claim') {
    // a page loaded uncontrolled (hard reload) asks to be taken over, so it can offer Save
    event.waitUntil(self.clients.claim())
  } else if (type === 'version') {
    event.ports[0]?.postMessage({ version: BUILD_ID })
  }
})

// Registered before Workbox's own fetch listener: what we answer here never reaches it.
self.addEventListener('fetch', (event) => {
  const request = event.request
  const url = new URL(request.url)
  if (url.origin !== self.location.origin) return
  let response: Promise<Response> | undefined

  if (request.method === 'POST' && url.pathname === SHARE_TARGET_PATH) {
    response = handleShareTarget(request, self.caches)
  } else if (request.method !== 'GET' && request.method !== 'HEAD') {
    return
  } else if (url.pathname.startsWith(SAVE_PREFIX)) {
    response = handleSave(request)
  } else if (url.pathname.startsWith(ZIP_PREFIX)) {
    response = handleZip(request)
  } else if (url.pathname.startsWith(MEDIA_PREFIX)) {
    response = handleMedia(request, self.clients)
  } else if (url.pathname === '/bootstrap.json') {
    // network only: the relay's address and TURN credentials never come from a cache
    event.stopImmediatePropagation()
    return
  } else if (request.mode === 'navigate') {
    response = navigate(request, { fetch: async (r) => await fetch(r), cachedIndex: matchPrecache })
  }
  if (response == null) return
  event.stopImmediatePropagation()
  event.respondWith(response)
})

// The app shell: fetched at install, served cache-first, older revisions dropped on activation.
precacheAndRoute(self.__WB_MANIFEST)
cleanupOutdatedCaches()

async function deleteLegacyShells (): Promise<void> {
  for (const key of await self.caches.keys()) {
    if (key.startsWith(LEGACY_SHELL_PREFIX)) await self.caches.delete(key)
  }
}

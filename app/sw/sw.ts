/// <reference lib="webworker" />
/**
 * Chiral's service worker (emitted at /sw.js, registered as a module with
 * scope '/'): the offline app shell and streamed downloads of stored files.
 */
import { handleMedia } from './media-route.ts'
import { handleSave } from './save-route.ts'
import { MEDIA_PREFIX, SAVE_PREFIX } from './save-url.ts'
import { cacheFirst, deleteOldShells, navigate, networkFirst, precacheShell } from './shell-cache.ts'

declare const self: ServiceWorkerGlobalScope

self.addEventListener('install', (event) => {
  event.waitUntil(precacheShell().then(async () => { await self.skipWaiting() }))
})

self.addEventListener('activate', (event) => {
  event.waitUntil(deleteOldShells().then(async () => { await self.clients.claim() }))
})

// a page loaded uncontrolled (hard reload) asks to be taken over, so it can offer Save
self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === 'claim') event.waitUntil(self.clients.claim())
})

self.addEventListener('fetch', (event) => {
  const request = event.request
  if (request.method !== 'GET' && request.method !== 'HEAD') return
  const url = new URL(request.url)
  if (url.origin !== self.location.origin) return

  if (url.pathname.startsWith(SAVE_PREFIX)) {
    event.respondWith(handleSave(request))
  } else if (url.pathname.startsWith(MEDIA_PREFIX)) {
    event.respondWith(handleMedia(request, self.clients))
  } else if (url.pathname === '/bootstrap.json' || url.pathname === '/asset-manifest.json') {
    // network only: the relay's address must never come from a cache
  } else if (request.mode === 'navigate') {
    event.respondWith(navigate(request))
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(cacheFirst(request))
  } else if (request.method === 'GET') {
    event.respondWith(networkFirst(request))
  }
})

import { createRoot, createSignal, type Accessor } from 'solid-js'
import { Workbox } from 'workbox-window'

/**
 * The service worker streams saved files, so Save is offered only once it
 * controls this page. Registered (through workbox-window) as an ES module with
 * scope '/'. A newer version found while the page is open waits until the
 * person presses "Update now" (updateAvailable / applyUpdate).
 */
const [controlled, setControlled] = createRoot(() => createSignal(false))
const [waiting, setWaiting] = createRoot(() => createSignal(false))

/** How often an open page asks the relay for a newer sw.js; browsers on their own check only on navigation. */
export const UPDATE_CHECK_INTERVAL_MS = 60 * 60_000

export const saveReady: Accessor<boolean> = controlled
/** A new version is installed and waits for this page's consent. */
export const updateAvailable: Accessor<boolean> = waiting

let workbox: Workbox | undefined
let registration: ServiceWorkerRegistration | undefined
let reloading = false

export function serviceWorkerSupported (): boolean {
  return typeof navigator !== 'undefined' && 'serviceWorker' in navigator
}

export async function registerServiceWorker (): Promise<void> {
  if (!serviceWorkerSupported()) return
  const sw = navigator.serviceWorker
  const update = (): void => { setControlled(sw.controller != null) }
  sw.addEventListener('controllerchange', update)
  update()
  const wb = new Workbox('/sw.js', { type: 'module', scope: '/' })
  // an update installed while this page is open, or one already waiting when it loaded
  wb.addEventListener('waiting', () => { setWaiting(true) })
  try {
    registration = await wb.register({ immediate: true })
    workbox = wb
    const ready = await sw.ready
    update()
    // after a hard reload the page starts uncontrolled even though a worker is active: ask it to claim us
    if (sw.controller == null) ready.active?.postMessage({ type: 'claim' })
    setInterval(() => { void ready.update().catch(() => {}) }, UPDATE_CHECK_INTERVAL_MS)
  } catch (err) {
    console.warn('chiral: service worker registration failed; Save is unavailable', err)
  }
}

/**
 * Activate the waiting worker and load the page once more under it. When
 * another tab already activated it, there is nothing to wait for: reload now.
 */
export function applyUpdate (): void {
  if (reloading) return
  reloading = true
  if (workbox == null || registration?.waiting == null) {
    location.reload()
    return
  }
  navigator.serviceWorker.addEventListener('controllerchange', () => { location.reload() }, { once: true })
  workbox.messageSkipWaiting()
}

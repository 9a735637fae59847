import { createRoot, createSignal, type Accessor } from 'solid-js'

/**
 * The service worker streams saved files, so Save is offered only once it
 * controls this page. Registered as an ES module with scope '/'.
 */
const [controlled, setControlled] = createRoot(() => createSignal(false))

export const saveReady: Accessor<boolean> = controlled

export function serviceWorkerSupported (): boolean {
  return typeof navigator !== 'undefined' && 'serviceWorker' in navigator
}

export async function registerServiceWorker (): Promise<void> {
  if (!serviceWorkerSupported()) return
  const sw = navigator.serviceWorker
  const update = (): void => { setControlled(sw.controller != null) }
  sw.addEventListener('controllerchange', update)
  update()
  try {
    await sw.register('/sw.js', { type: 'module', scope: '/' })
    const registration = await sw.ready
    update()
    // after a hard reload the page starts uncontrolled even though a worker is active: ask it to claim us
    if (sw.controller == null) registration.active?.postMessage({ type: 'claim' })
  } catch (err) {
    console.warn('chiral: service worker registration failed; Save is unavailable', err)
  }
}

import { createSignal, onCleanup, type Accessor } from 'solid-js'

/** What follows `#/` in the address (a CID), '' when none. */
export function cidFromHash (hash: string): string {
  const raw = hash.replace(/^#\/?/, '')
  try {
    return decodeURIComponent(raw).trim()
  } catch {
    return raw.trim()
  }
}

/** The CID in location.hash as a signal, following hashchange. Call inside a reactive owner. */
export function createHashCid (): Accessor<string> {
  const [cid, setCid] = createSignal(cidFromHash(location.hash))
  const onChange = (): void => { setCid(cidFromHash(location.hash)) }
  window.addEventListener('hashchange', onChange)
  onCleanup(() => { window.removeEventListener('hashchange', onChange) })
  return cid
}

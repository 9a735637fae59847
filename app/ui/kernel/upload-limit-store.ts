import { createSignal, type Accessor } from 'solid-js'
import type { Peer } from '../../core/types.ts'
import type { ErrorStore } from './error-store.ts'

/** Where the setting lives: bytes per second as a decimal string; absent means no limit. */
export const UPLOAD_LIMIT_KEY = 'chiral:upload-limit'

export interface UploadLimitStore {
  /** Bytes per second, undefined for no limit. */
  limit: Accessor<number | undefined>
  set(bytesPerSecond: number | undefined): void
}

/** The upload speed limit: remembered in localStorage, applied to the peer at start-up and on every change. */
export function createUploadLimitStore (
  peer: Pick<Peer, 'setUploadLimit'>,
  errors: ErrorStore,
  storage: Storage | undefined = localStorageOrNone()
): UploadLimitStore {
  const [limit, setLimit] = createSignal<number | undefined>(read(storage))

  const apply = (bytesPerSecond: number | undefined): void => {
    try {
      peer.setUploadLimit(bytesPerSecond)
    } catch (err) {
      errors.report(err) // RangeError: the page only offers what the core takes
    }
  }

  const set = (bytesPerSecond: number | undefined): void => {
    setLimit(bytesPerSecond)
    write(storage, bytesPerSecond)
    apply(bytesPerSecond)
  }

  // start-up: the remembered limit, if any (the peer starts without one)
  const remembered = limit()
  if (remembered != null) apply(remembered)

  return { limit, set }
}

function read (storage: Storage | undefined): number | undefined {
  try {
    const value = Number(storage?.getItem(UPLOAD_LIMIT_KEY) ?? '')
    return Number.isFinite(value) && value > 0 ? value : undefined
  } catch {
    return undefined
  }
}

function write (storage: Storage | undefined, bytesPerSecond: number | undefined): void {
  try {
    if (bytesPerSecond == null) storage?.removeItem(UPLOAD_LIMIT_KEY)
    else storage?.setItem(UPLOAD_LIMIT_KEY, String(bytesPerSecond))
  } catch {} // storage refused (private mode, quota): the limit holds for this visit only
}

/** localStorage, or none where reading it throws (blocked storage) or it does not exist (Node). */
function localStorageOrNone (): Storage | undefined {
  try {
    return globalThis.localStorage
  } catch {
    return undefined
  }
}

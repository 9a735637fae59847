import { createSignal, getOwner, onCleanup, type Accessor } from 'solid-js'
import { createStore, reconcile } from 'solid-js/store'
import type { LibraryItem, Peer } from '../../core/types.ts'
import type { ErrorStore } from './error-store.ts'

export interface StorageUse {
  usage: number
  quota: number
}

export interface LibraryStore {
  /** Everything this browser holds, newest first (empty until the first list arrives). */
  items: Accessor<LibraryItem[]>
  /** What the browser says this origin uses and may use; undefined where it cannot tell. */
  storage: Accessor<StorageUse | undefined>
  stopSharing(cid: string): Promise<void>
  shareAgain(cid: string): Promise<void>
  delete(cid: string): Promise<void>
  /** Whether `cid` is a complete item of this browser (shared from here, or downloaded whole): opening its link shows it instead of downloading. */
  isOwn(cid: string): Promise<boolean>
  /** Bring an item into view and say it is this browser's own (set by reveal, on every call). */
  revealed: Accessor<string | undefined>
  reveal(cid: string): void
}

type StorageSource = Pick<StorageManager, 'estimate'> | undefined

/**
 * Mirrors `peer.library` into signals: listed again on every change event
 * (a later listing always wins over an earlier one that answers late).
 * Call inside a reactive owner: the listener goes when it is disposed.
 */
export function createLibraryStore (peer: Pick<Peer, 'library'>, errors: ErrorStore, storage: StorageSource = globalThis.navigator?.storage): LibraryStore {
  // reconciled by CID: a row that changes state keeps its element (and the focus on its buttons)
  const [list, setList] = createStore<{ items: LibraryItem[] }>({ items: [] })
  const [use, setUse] = createSignal<StorageUse>()
  const [revealed, setRevealed] = createSignal<string | undefined>(undefined, { equals: false })
  let asked = 0

  const refresh = async (): Promise<void> => {
    const ask = ++asked
    try {
      const listed = await peer.library.list()
      if (ask === asked) setList('items', reconcile(listed, { key: 'cid' }))
      const estimate = await storage?.estimate()
      if (ask === asked && estimate?.usage != null && estimate.quota != null) setUse({ usage: estimate.usage, quota: estimate.quota })
    } catch (err) {
      errors.report(err)
    }
  }

  const onChange = (): void => { void refresh() }
  peer.library.addEventListener('change', onChange)
  if (getOwner() != null) onCleanup(() => { peer.library.removeEventListener('change', onChange) })
  void refresh()

  const act = async (action: () => Promise<unknown>): Promise<void> => {
    try {
      errors.clear()
      await action()
    } catch (err) {
      errors.report(err)
    }
    await refresh() // the library's own events refresh too; this covers a failure that changed nothing
  }

  return {
    items: () => list.items,
    storage: use,
    stopSharing: async cid => act(async () => peer.library.stopSharing(cid)),
    shareAgain: async cid => act(async () => peer.library.shareAgain(cid)),
    delete: async cid => act(async () => peer.library.delete(cid)),
    isOwn: async cid => {
      try {
        const item = (await peer.library.list()).find(i => i.cid === cid)
        return item?.state === 'sharing' || item?.state === 'stopped'
      } catch {
        return false // cannot tell: downloading is the safe default (it finds the blocks stored)
      }
    },
    revealed,
    reveal: cid => { setRevealed(cid); void refresh() }
  }
}

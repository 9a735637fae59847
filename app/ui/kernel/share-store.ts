import { batch, createSignal, type Accessor } from 'solid-js'
import type { Peer, ShareProgress, ShareResult } from '../../core/types.ts'
import type { ErrorStore } from './error-store.ts'
import { requestPersistentStorage } from './persist-storage.ts'
import type { PickedFile } from './picked-files.ts'

const SHARE_PHASES = new Set<unknown>(['importing', 'announcing', 'done'])

export interface ShareStore {
  busy: Accessor<boolean>
  progress: Accessor<ShareProgress | undefined>
  result: Accessor<ShareResult | undefined>
  /** Share files, each at its path (a folder's tree is kept). */
  share(files: PickedFile[]): Promise<void>
}

/** Importing files into the store and announcing them; the latest share is shown. */
export function createShareStore (peer: Peer, errors: ErrorStore): ShareStore {
  const [busy, setBusy] = createSignal(false)
  const [progress, setProgress] = createSignal<ShareProgress>()
  const [result, setResult] = createSignal<ShareResult>()

  const share = async (files: PickedFile[]): Promise<void> => {
    if (files.length === 0 || busy()) return
    void requestPersistentStorage()
    const totalBytes = files.reduce((sum, f) => sum + (f.file?.size ?? 0), 0)
    batch(() => {
      errors.clear()
      setBusy(true)
      setResult(undefined)
      setProgress({ phase: 'importing', bytesImported: 0, totalBytes })
    })
    try {
      const shared = await peer.share(files.map(({ file, path }) => ({ name: file?.name ?? path.split('/').pop() ?? path, path, content: file })), {
        onProgress: (p) => {
          // only our own events: libraries below the peer may report theirs through the same callback
          if (SHARE_PHASES.has(p?.phase)) setProgress({ ...p, totalBytes: p.totalBytes ?? totalBytes })
        }
      })
      batch(() => {
        setResult(shared)
        setProgress({ phase: 'done', bytesImported: shared.totalBytes, totalBytes: shared.totalBytes })
      })
    } catch (err) {
      setProgress(undefined)
      errors.report(err)
    } finally {
      setBusy(false)
    }
  }

  return { busy, progress, result, share }
}

import { batch, createSignal, type Accessor } from 'solid-js'
import { parseCidInput } from '../../core/index.ts'
import type { DownloadProgress, DownloadResult, Peer } from '../../core/types.ts'
import type { TransferState } from '../format.ts'
import { isAbort } from '../error-text.ts'
import type { ErrorStore } from './error-store.ts'
import { whenSettled } from './peer-status.ts'

const DOWNLOAD_PHASES = new Set<unknown>(['finding', 'connecting', 'transferring', 'done'])

export interface DownloadStore {
  state: Accessor<TransferState>
  /** The CID being (or last) downloaded. */
  cid: Accessor<string | undefined>
  progress: Accessor<DownloadProgress | undefined>
  result: Accessor<DownloadResult | undefined>
  active: Accessor<boolean>
  /** Validate first (no network on invalid input), then download. False when the input is invalid. */
  start(input: string): boolean
  cancel(): void
}

export function createDownloadStore (peer: Peer, errors: ErrorStore): DownloadStore {
  const [state, setState] = createSignal<TransferState>('idle')
  const [cid, setCid] = createSignal<string>()
  const [progress, setProgress] = createSignal<DownloadProgress>()
  const [result, setResult] = createSignal<DownloadResult>()
  let current: AbortController | undefined

  const active = (): boolean => current != null && !['idle', 'complete', 'failed', 'cancelled'].includes(state())

  const run = async (target: string, abort: AbortController): Promise<void> => {
    const mine = (): boolean => current === abort
    // what the finished transfer reports: its average speed and the most peers it used
    let started = 0
    let firstBytes = 0
    let maxPeers = 0
    try {
      setState('waiting')
      await whenSettled(peer, abort.signal)
      if (!mine()) return
      setState('finding')
      const done = await peer.download(target, {
        signal: abort.signal,
        onProgress: (p) => {
          // only our own events: libraries below the peer may report theirs through the same callback
          if (!mine() || !DOWNLOAD_PHASES.has(p?.phase)) return
          if (started === 0) { started = performance.now(); firstBytes = p.bytes }
          if (Number.isFinite(p.peers)) maxPeers = Math.max(maxPeers, p.peers)
          batch(() => {
            setProgress(p)
            setState(p.phase === 'done' ? 'transferring' : p.phase)
          })
        }
      })
      if (!mine()) return
      const seconds = started === 0 ? 0 : (performance.now() - started) / 1000
      batch(() => {
        setResult(done)
        if (globalThis.chiral != null) globalThis.chiral.lastDownload = done
        setProgress({
          phase: 'done',
          bytes: done.totalBytes,
          totalBytes: done.totalBytes,
          blocksFetched: done.blocksFetched,
          blocksLocal: done.blocksLocal,
          peers: maxPeers,
          bytesPerSecond: seconds > 0 && done.blocksFetched > 0 ? Math.max(0, done.totalBytes - firstBytes) / seconds : 0
        })
        setState('complete')
      })
    } catch (err) {
      if (!mine()) return
      if (isAbort(err) && abort.signal.aborted) {
        setState('cancelled')
      } else {
        setState('failed')
        errors.report(err)
      }
    } finally {
      if (mine()) current = undefined
    }
  }

  const start = (input: string): boolean => {
    let target: string
    try {
      target = parseCidInput(input.trim()).toString()
    } catch (err) {
      errors.report(err)
      return false
    }
    if (current != null && cid() === target && active()) return true // already on it
    current?.abort()
    const abort = new AbortController()
    current = abort
    batch(() => {
      errors.clear()
      setCid(target)
      setResult(undefined)
      setProgress(undefined)
    })
    void run(target, abort)
    return true
  }

  const cancel = (): void => {
    current?.abort()
  }

  return { state, cid, progress, result, active, start, cancel }
}

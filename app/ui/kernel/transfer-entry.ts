import { batch, createSignal, type Accessor } from 'solid-js'
import type { DownloadProgress, DownloadResult, Transfer, TransferFile, TransferState } from '../../core/types.ts'
import type { RowState } from '../format.ts'
import { SpeedHistory } from '../speed-history.ts'

/** One download row as signals: a core Transfer mirrored, or a CID waiting for start-up to settle. */
export interface TransferEntry {
  readonly cid: string
  state: Accessor<RowState>
  /** The latest progress; once done, a summary of the run (average speed, peers that served). */
  progress: Accessor<DownloadProgress | undefined>
  /** Why it failed (state 'failed'). */
  error: Accessor<Error | undefined>
  result: Accessor<DownloadResult | undefined>
  /** The share's files as far as known (before their data), with which are picked and complete. */
  files: Accessor<readonly TransferFile[] | undefined>
  /** Fetch only these files (undefined: all). */
  select(paths: readonly string[] | undefined): void
  /** The current (or last) run's speed samples, oldest first, for the live graph; cleared when a run starts. */
  speeds: Accessor<readonly number[]>
}

/** The store's handle on a row: which Transfer it mirrors, and how it changes. */
export interface EntryHandle extends TransferEntry {
  transfer(): Transfer | undefined
  /** Mirror this transfer (a new one replaces the old: the core starts a cancelled CID afresh). */
  bind(transfer: Transfer): void
  /** Stop listening to the transfer. */
  unbind(): void
  /** Before a transfer exists: waiting for start-up, or cancelled while waiting. */
  setLocal(state: 'waiting' | 'cancelled'): void
}

export interface EntryHooks {
  /** The bound transfer changed state (after the row's signals were updated). */
  onState(entry: TransferEntry, state: TransferState): void
}

export function createEntry (cid: string, hooks: EntryHooks): EntryHandle {
  const [state, setState] = createSignal<RowState>('queued')
  const [progress, setProgress] = createSignal<DownloadProgress>()
  const [error, setError] = createSignal<Error>()
  const [result, setResult] = createSignal<DownloadResult>()
  const [files, setFiles] = createSignal<readonly TransferFile[]>()
  const history = new SpeedHistory()
  const [speeds, setSpeeds] = createSignal<readonly number[]>([])
  let transfer: Transfer | undefined
  // the finished run's summary: average speed of the bytes received since its first data, the most peers it used
  let runStart = 0
  let runFirstReceived = 0
  let runMaxPeers = 0

  const onProgress = (event: CustomEvent<DownloadProgress>): void => {
    const p = event.detail
    // timed from the first data received: the search for peers before it is not transfer time, and blocks
    // found stored (a resumed download) were not received, however fast the walk finds them
    const received = receivedBytes(p)
    if (runStart === 0 && received > 0) { runStart = performance.now(); runFirstReceived = received }
    if (Number.isFinite(p.peers)) runMaxPeers = Math.max(runMaxPeers, p.peers)
    if (transfer?.state === 'running' && history.sample(p.bytesPerSecond)) setSpeeds(history.values())
    setProgress(p)
  }

  const onFiles = (event: CustomEvent<readonly TransferFile[]>): void => { setFiles(event.detail) }

  const onState = (event: CustomEvent<TransferState>): void => {
    const t = transfer
    if (t == null) return
    if (event.detail === 'running') { runStart = 0; runMaxPeers = 0; history.clear(); setSpeeds([]) }
    else if (history.end()) setSpeeds(history.values()) // the graph ends at 0: nothing moves any more
    sync(t)
    hooks.onState(entry, event.detail)
  }

  const sync = (t: Transfer): void => {
    batch(() => {
      setError(t.error)
      setResult(t.result)
      if (t.state === 'done' && t.result != null) setProgress(summary(t.result, t.progress))
      else if (t.progress != null) setProgress(t.progress)
      setState(t.state)
    })
  }

  const summary = (done: DownloadResult, last: DownloadProgress | undefined): DownloadProgress => {
    const seconds = runStart === 0 ? 0 : (performance.now() - runStart) / 1000
    return {
      ...last,
      phase: 'done',
      bytes: done.totalBytes,
      totalBytes: done.totalBytes,
      blocksFetched: done.blocksFetched,
      blocksLocal: done.blocksLocal,
      peers: Math.max(runMaxPeers, done.sources.length),
      bytesPerSecond: seconds > 0 && done.blocksFetched > 0 ? Math.max(0, receivedBytes(done) - runFirstReceived) / seconds : 0,
      sources: done.sources,
      paths: done.paths
    }
  }

  const unbind = (): void => {
    transfer?.removeEventListener('progress', onProgress)
    transfer?.removeEventListener('state', onState)
    transfer?.removeEventListener('files', onFiles)
    transfer = undefined
  }

  const bind = (next: Transfer): void => {
    if (transfer === next) return
    unbind()
    transfer = next
    runStart = 0
    runMaxPeers = 0
    history.clear()
    setSpeeds([])
    next.addEventListener('progress', onProgress)
    next.addEventListener('state', onState)
    next.addEventListener('files', onFiles)
    batch(() => {
      setFiles(next.files)
      // a new transfer of the same CID starts clean
      setProgress(next.progress)
      sync(next)
    })
  }

  const setLocal = (local: 'waiting' | 'cancelled'): void => {
    if (transfer != null) return
    batch(() => {
      setError(undefined)
      setResult(undefined)
      if (local === 'waiting') setProgress(undefined)
      setState(local)
    })
  }

  const select = (paths: readonly string[] | undefined): void => { transfer?.select(paths) }
  const entry: EntryHandle = { cid, state, progress, error, result, files, select, speeds, transfer: () => transfer, bind, unbind, setLocal }
  return entry
}

/** Bytes the peers sent in this run (the run's per-peer counts), not what was found stored. */
function receivedBytes (p: Pick<DownloadProgress, 'sources'>): number {
  return (p.sources ?? []).reduce((sum, source) => sum + source.bytes, 0)
}

import { TypedEventEmitter } from '@libp2p/interface'
import { AbortError } from '../errors.ts'
import { FileSelection } from './file-selection.ts'
import type { RunFilesHooks } from './run-files.ts'
import type { DownloadProgress, DownloadResult, Transfer, TransferEvents, TransferFile, TransferState } from '../types.ts'

/** What a transfer needs from its manager. */
export interface TransferHost {
  /** One run until done (the selected files stored); aborted by pause or cancel. */
  run(cid: string, signal: AbortSignal, onProgress: (progress: DownloadProgress) => void, files?: RunFilesHooks): Promise<DownloadResult>
  /** The state changed (the manager starts queued transfers, records pauses). */
  changed(transfer: DownloadTransfer, previous: TransferState): void
  /** The selection changed (the manager records it, so a reload keeps it). */
  selected?(transfer: DownloadTransfer): void
}

/** A run's last progress once it ended: its bytes stay (they are stored), its speed and peers are over. */
function still (progress: DownloadProgress | undefined): DownloadProgress | undefined {
  return progress == null ? undefined : { ...progress, bytesPerSecond: 0, peers: 0 }
}

const FINAL: ReadonlySet<TransferState> = new Set(['done', 'failed', 'cancelled'])

/** Why a run was stopped: not a failure. */
class StoppedError extends AbortError {}

/**
 * One download, as a state machine: queued -> running -> done | failed, with
 * pause (running/queued -> paused), resume (paused/failed -> queued) and
 * cancel (any -> cancelled). Progress and state changes are events.
 */
export class DownloadTransfer extends TypedEventEmitter<TransferEvents> implements Transfer {
  readonly cid: string
  state: TransferState
  progress: DownloadProgress | undefined
  error: Error | undefined
  result: DownloadResult | undefined
  files: readonly TransferFile[] | undefined
  private readonly host: TransferHost
  private readonly chosen: FileSelection
  private controller: AbortController | undefined
  /** The peer stopped: the run ended, and done() rejects instead of waiting for a resume that cannot come. */
  private halted = false

  /** `failed` with its error: a download that failed before a reload; `selection`: the files picked before it. */
  constructor (cid: string, host: TransferHost, state: 'queued' | 'paused' | 'failed' = 'queued', error?: Error, selection?: readonly string[]) {
    super()
    this.cid = cid
    this.host = host
    this.state = state
    if (state === 'failed') this.error = error
    this.chosen = new FileSelection(selection)
  }

  get selection (): readonly string[] | undefined {
    return this.chosen.list()
  }

  select (paths: readonly string[] | undefined): void {
    if (this.state === 'cancelled') return
    const widens = this.chosen.widens(paths)
    this.chosen.set(paths)
    if (this.files != null) this.showFiles(this.files.map(f => ({ ...f, selected: paths?.includes(f.path) ?? true })))
    this.host.selected?.(this)
    if (widens && this.state === 'done') this.set('queued') // more to fetch: a new run takes what is stored and fetches the rest
  }

  get final (): boolean {
    return FINAL.has(this.state)
  }

  /** Begin a run (the manager calls this when a slot is free). */
  start (): void {
    if (this.state !== 'queued') return
    const controller = new AbortController()
    this.controller = controller
    this.error = undefined
    // what is stored stays shown (the run finds it again as it walks); speed, peers and sources are this run's
    const stored = this.progress?.bytes ?? 0
    if (this.progress != null) this.progress = { ...this.progress, phase: 'finding', peers: 0, bytesPerSecond: 0, sources: [], paths: [] }
    this.set('running')
    this.host.run(this.cid, controller.signal, progress => {
      if (this.controller !== controller) return
      this.progress = progress.bytes >= stored ? progress : { ...progress, bytes: stored }
      this.safeDispatch('progress', this.progress)
    }, {
      selection: this.chosen,
      onFiles: files => { if (this.controller === controller) this.showFiles(files) }
    }).then(result => {
      if (this.controller !== controller) return
      this.controller = undefined
      this.result = result
      this.set('done')
      if (this.files?.some(f => f.selected && !f.complete) === true) this.set('queued') // picked as the run ended: fetch it too
    }, (err: Error) => {
      if (this.controller !== controller) return // paused or cancelled: that state is already set
      this.controller = undefined
      this.error = err
      this.progress = still(this.progress)
      this.set('failed')
    })
  }

  pause (): void {
    if (this.state !== 'running' && this.state !== 'queued') return
    this.stop()
    this.set('paused')
  }

  resume (): void {
    if (this.state !== 'paused' && this.state !== 'failed') return
    this.set('queued')
  }

  cancel (): void {
    if (this.final) return
    this.stop()
    this.set('cancelled')
  }

  /** The peer is stopping: end the run; the state says paused (a later visit resumes it) and done() rejects. */
  halt (): void {
    this.halted = true
    if (this.state === 'running' || this.state === 'queued') this.pause()
    else this.safeDispatch('state', this.state)
  }

  async done (): Promise<DownloadResult> {
    while (!this.final) {
      if (this.halted) throw new AbortError('The peer stopped before the download finished')
      await new Promise(resolve => { this.addEventListener('state', resolve, { once: true }) })
    }
    if (this.state === 'done') return this.result as DownloadResult
    throw this.state === 'cancelled' ? new AbortError('The download was cancelled') : this.error
  }

  private showFiles (files: readonly TransferFile[]): void {
    this.files = files
    this.safeDispatch('files', files)
  }

  private stop (): void {
    this.controller?.abort(new StoppedError('The download was paused or cancelled'))
    this.controller = undefined
    this.progress = still(this.progress)
  }

  /** Bytes known to be stored before a run reports (a restored or paused download), unless a run already did. */
  setStoredBytes (bytes: number, totalBytes: number | undefined): void {
    if (this.progress != null || this.final) return
    this.progress = { phase: 'finding', bytes, ...(totalBytes != null ? { totalBytes } : {}), blocksFetched: 0, blocksLocal: 0, peers: 0, bytesPerSecond: 0 }
    this.safeDispatch('progress', this.progress)
  }

  private set (state: TransferState): void {
    const previous = this.state
    if (previous === state) return
    this.state = state
    this.safeDispatch('state', state)
    this.host.changed(this, previous)
  }

  private safeDispatch<K extends keyof TransferEvents> (type: K, detail: TransferEvents[K]['detail']): void {
    this.dispatchEvent(new CustomEvent(type, { detail }))
  }
}

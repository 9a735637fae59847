import { TypedEventEmitter } from '@libp2p/interface'
import { parseCidInput } from '../../app/core/content/parse-cid.ts'
import { AbortError } from '../../app/core/errors.ts'
import type {
  DownloadProgress, DownloadResult, PeerEvents, PeerStatus, Transfer, TransferEvents, TransferFile, TransferState, Transfers, TransfersEvents
} from '../../app/core/types.ts'

const FINAL = new Set<TransferState>(['done', 'failed', 'cancelled'])

/**
 * An in-memory `Transfer` with the core's state machine (queued -> running ->
 * done | failed; pause, resume, cancel) and no network: a test drives each run
 * with `report`, `finish` and `fail`, and counts the calls it received.
 */
export class FakeTransfer extends TypedEventEmitter<TransferEvents> implements Transfer {
  readonly cid: string
  state: TransferState
  progress: DownloadProgress | undefined
  error: Error | undefined
  result: DownloadResult | undefined
  files: readonly TransferFile[] | undefined
  selection: readonly string[] | undefined
  readonly calls = { pause: 0, resume: 0, cancel: 0 }
  /** Every select() call's paths, in order. */
  readonly selections: Array<readonly string[] | undefined> = []
  private readonly owner: FakeTransfers

  constructor (cid: string, owner: FakeTransfers, state: 'queued' | 'paused') {
    super()
    this.cid = cid
    this.owner = owner
    this.state = state
  }

  /** A progress event of the current run. */
  report (progress: Partial<DownloadProgress> = {}): void {
    this.progress = { phase: 'transferring', bytes: 0, blocksFetched: 0, blocksLocal: 0, peers: 1, bytesPerSecond: 0, ...progress }
    this.dispatchEvent(new CustomEvent('progress', { detail: this.progress }))
  }

  /** The file tree grew or a file completed. */
  showFiles (files: TransferFile[]): void {
    this.files = files
    this.dispatchEvent(new CustomEvent('files', { detail: files }))
  }

  select (paths: readonly string[] | undefined): void {
    this.selections.push(paths)
    this.selection = paths
  }

  /** The current run completes. */
  finish (result: Partial<DownloadResult> = {}): void {
    if (this.state !== 'running') throw new Error(`cannot finish a ${this.state} transfer`)
    this.result = { cid: this.cid, files: [], totalBytes: 0, blocksFetched: 0, blocksLocal: 0, paths: [], sources: [], ...result }
    this.set('done')
  }

  /** The current run fails. */
  fail (err: Error): void {
    if (this.state !== 'running') throw new Error(`cannot fail a ${this.state} transfer`)
    this.error = err
    this.set('failed')
  }

  /** The manager gives it a slot. */
  begin (): void {
    if (this.state !== 'queued') return
    this.error = undefined
    this.set('running')
  }

  pause (): void {
    this.calls.pause++
    if (this.state === 'running' || this.state === 'queued') this.set('paused')
  }

  resume (): void {
    this.calls.resume++
    if (this.state === 'paused' || this.state === 'failed') this.set('queued')
  }

  cancel (): void {
    this.calls.cancel++
    if (!FINAL.has(this.state)) this.set('cancelled')
  }

  async done (): Promise<DownloadResult> {
    while (!FINAL.has(this.state)) await new Promise(resolve => { this.addEventListener('state', resolve, { once: true }) })
    if (this.state === 'done') return this.result!
    throw this.state === 'cancelled' ? new AbortError('The download was cancelled') : this.error
  }

  private set (state: TransferState): void {
    if (this.state === state) return
    this.state = state
    this.dispatchEvent(new CustomEvent('state', { detail: state }))
    this.owner.pump()
  }
}

/** An in-memory `Transfers`: the core manager's rules (slots, queue, restart, remove) without a network. */
export class FakeTransfers extends TypedEventEmitter<TransfersEvents> implements Transfers {
  readonly map = new Map<string, FakeTransfer>()
  readonly maxRunning: number

  constructor (maxRunning = 4) {
    super()
    this.maxRunning = maxRunning
  }

  start (cidOrLink: string): FakeTransfer {
    const cid = parseCidInput(cidOrLink).toString()
    const existing = this.map.get(cid)
    if (existing != null && existing.state !== 'cancelled' && existing.state !== 'done') {
      existing.resume()
      return existing
    }
    return this.add(cid, 'queued')
  }

  get (cidOrLink: string): FakeTransfer | undefined {
    return this.map.get(parseCidInput(cidOrLink).toString())
  }

  list (): FakeTransfer[] {
    return [...this.map.values()]
  }

  remove (cidOrLink: string): void {
    const transfer = this.get(cidOrLink)
    if (transfer == null) return
    transfer.cancel()
    this.map.delete(transfer.cid)
    this.dispatchEvent(new CustomEvent('removed', { detail: transfer }))
  }

  /** What a reload does once the peer is ready: an unfinished download of a previous visit comes back. */
  restore (cid: string, paused = false): FakeTransfer {
    return this.add(cid, paused ? 'paused' : 'queued')
  }

  pump (): void {
    let running = this.list().filter(t => t.state === 'running').length
    for (const transfer of this.map.values()) {
      if (running >= this.maxRunning) return
      if (transfer.state !== 'queued') continue
      running++
      transfer.begin()
    }
  }

  private add (cid: string, state: 'queued' | 'paused'): FakeTransfer {
    const transfer = new FakeTransfer(cid, this, state)
    this.map.set(cid, transfer)
    this.dispatchEvent(new CustomEvent('added', { detail: transfer }))
    this.pump()
    return transfer
  }
}

/** The part of a Peer the UI's transfer store uses: its transfers and its network status. */
export class FakeTransfersPeer extends TypedEventEmitter<PeerEvents> {
  readonly transfers: FakeTransfers
  status: PeerStatus

  constructor (status: PeerStatus = 'ready', transfers = new FakeTransfers()) {
    super()
    this.status = status
    this.transfers = transfers
  }

  setStatus (status: PeerStatus): void {
    this.status = status
    this.dispatchEvent(new CustomEvent('status', { detail: status }))
  }
}

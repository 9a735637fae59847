import { TypedEventEmitter } from '@libp2p/interface'
import { logger } from '@libp2p/logger'
import { MAX_RUNNING_TRANSFERS } from '../constants.ts'
import { parseCidInput } from '../content/parse-cid.ts'
import { recordFailure, restoreFailure } from './recorded-failure.ts'
import { DownloadTransfer, type TransferHost } from './transfer.ts'
import type { StoredBytes } from './stored-bytes.ts'
import type { ShareRecord, ShareRecordStore } from '../storage/block-store.ts'
import type { AbortOptions } from '@libp2p/interface'
import type { Transfer, TransferState, Transfers, TransfersEvents } from '../types.ts'

const log = logger('chiral:transfer:manager')

export interface TransfersInit {
  records: ShareRecordStore
  run: TransferHost['run']
  /** Downloads running at once; the rest wait in the queue. Default MAX_RUNNING_TRANSFERS. */
  maxRunning?: number
  onWarning?(err: Error): void
  /** How much of a share is stored already, shown before a download runs (restored, queued). Default: nothing shown until it runs. */
  measure?(cid: string, options?: AbortOptions): Promise<StoredBytes>
}

/**
 * Every download of this peer: several run at once (the rest are queued), each
 * can be paused, resumed and cancelled, and each is recorded so a reload
 * resumes it where it stopped (a paused one stays paused).
 */
export class TransferManager extends TypedEventEmitter<TransfersEvents> implements Transfers, TransferHost {
  private readonly init: TransfersInit
  private readonly maxRunning: number
  private readonly transfers = new Map<string, DownloadTransfer>()
  private stopped = false

  constructor (init: TransfersInit) {
    super()
    this.init = init
    this.maxRunning = init.maxRunning ?? MAX_RUNNING_TRANSFERS
  }

  start (cidOrLink: string): Transfer {
    const cid = parseCidInput(cidOrLink).toString()
    const existing = this.transfers.get(cid)
    if (existing != null && existing.state !== 'cancelled' && existing.state !== 'done') {
      existing.resume() // paused or failed: go again; queued or running: nothing to do
      return existing
    }
    return this.add(cid, 'queued')
  }

  get (cidOrLink: string): Transfer | undefined {
    return this.transfers.get(parseCidInput(cidOrLink).toString())
  }

  list (): Transfer[] {
    return [...this.transfers.values()]
  }

  remove (cidOrLink: string): void {
    const transfer = this.transfers.get(parseCidInput(cidOrLink).toString())
    if (transfer == null) return
    transfer.cancel()
    this.transfers.delete(transfer.cid)
    this.safeDispatch('removed', transfer)
  }

  /** Take up the downloads a previous visit left unfinished. */
  async restore (): Promise<void> {
    const records = await this.init.records.listShares()
    for (const record of records) {
      if (record.complete || record.origin !== 'downloaded' || this.transfers.has(record.cid)) continue
      if (record.failure != null) this.add(record.cid, 'failed', restoreFailure(record.failure), record.selection) // resumed only when asked, as before the reload
      else this.add(record.cid, record.paused === true ? 'paused' : 'queued', undefined, record.selection)
    }
  }

  /** The peer is stopping: runs end, records stay as they are (so the next visit resumes them). */
  stop (): void {
    this.stopped = true
    for (const transfer of this.transfers.values()) if (!transfer.final) transfer.halt()
  }

  run (cid: string, signal: AbortSignal, onProgress: Parameters<TransferHost['run']>[2], files?: Parameters<TransferHost['run']>[3]): ReturnType<TransferHost['run']> {
    return this.init.run(cid, signal, onProgress, files)
  }

  /** Remember which files were picked, so a reload fetches the same ones. */
  selected (transfer: DownloadTransfer): void {
    if (this.stopped) return
    void (async () => {
      const record = await this.init.records.getShare(transfer.cid)
      if (record == null) return
      const { selection: _old, ...rest } = record
      const selection = transfer.selection
      await this.init.records.putShare(selection == null ? rest : { ...rest, selection: [...selection] })
    })().catch((err: Error) => {
      log('could not record the selection of %s: %s', transfer.cid, err.message)
      this.init.onWarning?.(new Error(`Could not remember which files of ${transfer.cid} to download: ${err.message}`, { cause: err }))
    })
  }

  changed (transfer: DownloadTransfer, previous: TransferState): void {
    if (!this.stopped) void this.record(transfer, previous)
    this.pump()
  }

  private add (cid: string, state: 'queued' | 'paused' | 'failed', error?: Error, selection?: readonly string[]): DownloadTransfer {
    const transfer = new DownloadTransfer(cid, this, state, error, selection)
    this.transfers.set(cid, transfer)
    this.safeDispatch('added', transfer)
    this.pump()
    void this.showStored(transfer)
    return transfer
  }

  /** Show what is stored before the first run reports (a paused or failed one may not run for days). */
  private async showStored (transfer: DownloadTransfer): Promise<void> {
    if (this.init.measure == null) return
    try {
      const { bytes, totalBytes } = await this.init.measure(transfer.cid)
      if (bytes > 0) transfer.setStoredBytes(bytes, totalBytes)
    } catch (err) {
      log('could not measure %s: %s', transfer.cid, (err as Error).message) // the run will say what is wrong
    }
  }

  /** Start queued transfers, oldest first, while slots are free. */
  private pump (): void {
    if (this.stopped) return
    let running = this.list().filter(t => t.state === 'running').length
    for (const transfer of this.transfers.values()) {
      if (running >= this.maxRunning) return
      if (transfer.state !== 'queued') continue
      running++
      transfer.start()
    }
  }

  /**
   * Remember pauses (a reload keeps a paused download paused) and forget an
   * unfinished download that was cancelled (a reload does not restart it; its
   * blocks stay, so opening the link again resumes it). The run itself records
   * a new download and its completion.
   */
  private async record (transfer: DownloadTransfer, previous: TransferState | undefined): Promise<void> {
    const { state } = transfer
    const kept = (s: TransferState | undefined): boolean => s === 'paused' || s === 'failed'
    if (state !== 'cancelled' && !kept(state) && !kept(previous)) return
    const { records } = this.init
    try {
      const record = await records.getShare(transfer.cid)
      if (record == null || record.complete) return
      if (state === 'cancelled') await records.deleteShare(transfer.cid)
      else await records.putShare(withState(record, state, transfer.error))
    } catch (err) {
      log('could not record %s: %s', transfer.cid, (err as Error).message)
      this.init.onWarning?.(new Error(`Could not remember the state of the download of ${transfer.cid}: ${(err as Error).message}`, { cause: err }))
    }
  }

  private safeDispatch<K extends keyof TransfersEvents> (type: K, detail: TransfersEvents[K]['detail']): void {
    this.dispatchEvent(new CustomEvent(type, { detail }))
  }
}

/** A download's record as its state leaves it: paused, failed (with why), or neither. */
function withState (record: ShareRecord, state: TransferState, error: Error | undefined): ShareRecord {
  const { failure: _failure, paused: _paused, ...rest } = record
  return {
    ...rest,
    paused: state === 'paused',
    ...(state === 'failed' && error != null ? { failure: recordFailure(error) } : {}),
    updatedAt: Date.now()
  }
}

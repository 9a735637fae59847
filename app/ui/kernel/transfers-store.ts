import { batch, createSignal, getOwner, onCleanup, type Accessor } from 'solid-js'
import { parseCidInput } from '../../core/content/parse-cid.ts'
import type { Peer, Transfer, TransferState } from '../../core/types.ts'
import type { ErrorStore } from './error-store.ts'
import { requestPersistentStorage } from './persist-storage.ts'
import { whenSettled, type StatusSource } from './peer-status.ts'
import { createEntry, type EntryHandle, type TransferEntry } from './transfer-entry.ts'

export type { TransferEntry } from './transfer-entry.ts'

/** What the store needs of a Peer: its transfers, and its status (to wait for start-up). */
export type TransfersPeer = StatusSource & Pick<Peer, 'transfers'>

export interface TransfersStore {
  /** One row per download, newest first: started here, restored after a reload, or started through the API. */
  entries: Accessor<TransferEntry[]>
  /** The CID of a listed row that was asked for again (the page brings it into view); fires on every ask. */
  focus: Accessor<string | undefined>
  /**
   * Validate (no network on invalid input, the error is reported), then add a
   * row and download; never stops another download. A CID already listed is
   * focused, and resumed when paused, failed or cancelled.
   * @returns the CID, or undefined when the input is invalid
   */
  start(input: string): string | undefined
  pause(cid: string): void
  resume(cid: string): void
  cancel(cid: string): void
  /** Drop a row (a running download is cancelled first); its stored blocks stay. */
  remove(cid: string): void
}

/**
 * Mirrors `peer.transfers` into signals. Call inside a reactive owner: the
 * listeners go when it is disposed.
 */
export function createTransfersStore (peer: TransfersPeer, errors: ErrorStore): TransfersStore {
  const [entries, setEntries] = createSignal<EntryHandle[]>([])
  const [focus, setFocus] = createSignal<string | undefined>(undefined, { equals: false })
  /** Rows waiting for start-up to settle, with how to stop waiting. */
  const waiting = new Map<string, AbortController>()
  /** Downloads the person started in this tab: their failures go to the page's error element. */
  const asked = new Set<string>()

  const find = (cid: string): EntryHandle | undefined => entries().find(e => e.cid === cid)

  const onEntryState = (entry: TransferEntry, state: TransferState): void => {
    if (state === 'done') {
      const result = entry.result()
      if (result != null && globalThis.chiral != null) globalThis.chiral.lastDownload = result
    } else if (state === 'failed' && asked.has(entry.cid)) {
      errors.report(entry.error())
    }
  }

  const row = (cid: string): EntryHandle => {
    const existing = find(cid)
    if (existing != null) return existing
    const entry = createEntry(cid, { onState: onEntryState })
    setEntries(list => [entry, ...list])
    return entry
  }

  const onAdded = (event: CustomEvent<Transfer>): void => {
    const transfer = event.detail
    stopWaiting(transfer.cid)
    row(transfer.cid).bind(transfer)
  }

  const onRemoved = (event: CustomEvent<Transfer>): void => {
    const entry = find(event.detail.cid)
    if (entry == null || entry.transfer() !== event.detail) return
    drop(entry)
  }

  const drop = (entry: EntryHandle): void => {
    stopWaiting(entry.cid)
    entry.unbind()
    asked.delete(entry.cid)
    setEntries(list => list.filter(e => e !== entry))
  }

  const stopWaiting = (cid: string): boolean => {
    const controller = waiting.get(cid)
    if (controller == null) return false
    waiting.delete(cid)
    controller.abort()
    return true
  }

  /** Ask the core, or first wait for start-up (finding peers before the relay answers would fail). */
  const begin = (entry: EntryHandle): void => {
    if (waiting.has(entry.cid)) return
    const status = peer.status
    if (status !== 'starting' && status !== 'connecting') {
      ask(entry.cid)
      return
    }
    const controller = new AbortController()
    waiting.set(entry.cid, controller)
    entry.unbind()
    entry.setLocal('waiting')
    whenSettled(peer, controller.signal).then(() => {
      if (waiting.get(entry.cid) !== controller) return
      waiting.delete(entry.cid)
      ask(entry.cid)
    }, () => {}) // aborted: cancelled, removed, or taken over by the core's own 'added'
  }

  const ask = (cid: string): void => {
    try {
      // a new transfer is bound by 'added'; an existing one (paused, failed) resumes
      const transfer = peer.transfers.start(cid)
      find(cid)?.bind(transfer)
    } catch (err) {
      errors.report(err)
    }
  }

  const start = (input: string): string | undefined => {
    let cid: string
    try {
      cid = parseCidInput(input.trim()).toString()
    } catch (err) {
      errors.report(err)
      return undefined
    }
    errors.clear()
    void requestPersistentStorage()
    asked.add(cid)
    const existing = find(cid)
    const state = existing?.state()
    if (existing == null || state === 'cancelled' || state === 'paused' || state === 'failed') begin(existing ?? row(cid))
    if (existing != null) setFocus(cid)
    return cid
  }

  const pause = (cid: string): void => { find(cid)?.transfer()?.pause() }

  const resume = (cid: string): void => {
    const entry = find(cid)
    const transfer = entry?.transfer()
    if (entry == null || transfer == null) return
    // the error element shows one error: this row's is moot once it goes again
    if (errors.error() != null && errors.error() === entry.error()) errors.clear()
    transfer.resume()
  }

  const cancel = (cid: string): void => {
    const entry = find(cid)
    if (entry == null) return
    if (stopWaiting(cid)) entry.setLocal('cancelled')
    else entry.transfer()?.cancel()
  }

  const remove = (cid: string): void => {
    const entry = find(cid)
    if (entry == null) return
    if (entry.transfer() != null && peer.transfers.get(cid) === entry.transfer()) peer.transfers.remove(cid) // 'removed' drops the row
    if (find(cid) === entry) drop(entry)
  }

  peer.transfers.addEventListener('added', onAdded)
  peer.transfers.addEventListener('removed', onRemoved)
  // restored before we listened, or started through the API
  batch(() => { for (const transfer of peer.transfers.list()) row(transfer.cid).bind(transfer) })
  if (getOwner() != null) {
    onCleanup(() => {
      peer.transfers.removeEventListener('added', onAdded)
      peer.transfers.removeEventListener('removed', onRemoved)
      for (const controller of waiting.values()) controller.abort()
      for (const entry of entries()) entry.unbind()
    })
  }

  return { entries, focus, start, pause, resume, cancel, remove }
}

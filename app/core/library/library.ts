import { TypedEventEmitter } from '@libp2p/interface'
import { logger } from '@libp2p/logger'
import { parseCidInput } from '../content/parse-cid.ts'
import { NotInLibraryError } from '../errors.ts'
import { collectGarbage } from './mark-sweep.ts'
import { toItem } from './item-state.ts'
import type { SweepWitness } from './sweep-witness.ts'
import type { BlockStore, ShareRecordStore } from '../storage/block-store.ts'
import type { DeleteResult, Library, LibraryEvents, LibraryItem, Transfer, Transfers } from '../types.ts'
import type { AbortOptions } from '@libp2p/interface'

const log = logger('chiral:library')

export interface LibraryInit {
  records: ShareRecordStore
  /** The store itself (not witnessed): the collector reads and deletes here. */
  store: BlockStore
  /** Reports what the rest of the peer touches while a sweep runs. */
  witness: SweepWitness
  transfers: Transfers
  /** Announce a root in the DHT (a failure is a warning, never the caller's). */
  announce(cid: string): Promise<void>
  /** Whether announcing can work now; if not, reprovide() announces at reconnection. */
  online(): boolean
}

/**
 * Everything this browser holds: share records and downloads as one list,
 * whether each is announced, and deletion with a mark-and-sweep collection
 * of the blocks nothing else needs.
 */
export class PeerLibrary extends TypedEventEmitter<LibraryEvents> implements Library {
  private readonly init: LibraryInit
  /** One collection at a time: each sees the previous one's result. */
  private collecting: Promise<unknown> = Promise.resolve()

  constructor (init: LibraryInit) {
    super()
    this.init = init
    const watch = (transfer: Transfer): void => {
      transfer.addEventListener('state', () => { this.changed(transfer.cid) })
      this.changed(transfer.cid)
    }
    for (const transfer of init.transfers.list()) watch(transfer)
    init.transfers.addEventListener('added', event => { watch(event.detail) })
    init.transfers.addEventListener('removed', event => { this.changed(event.detail.cid) })
  }

  async list (options?: AbortOptions): Promise<LibraryItem[]> {
    const records = await this.init.records.listShares(options)
    const transfers = new Map(this.init.transfers.list().map(t => [t.cid, t]))
    const items = records.map(record => toItem(record.cid, record, transfers.get(record.cid)))
    const recorded = new Set(records.map(r => r.cid))
    for (const transfer of transfers.values()) {
      if (!recorded.has(transfer.cid) && transfer.state !== 'cancelled' && transfer.state !== 'done') items.push(toItem(transfer.cid, undefined, transfer))
    }
    return items.sort((a, b) => b.updatedAt - a.updatedAt)
  }

  async stopSharing (cid: string, options?: AbortOptions): Promise<void> {
    await this.setSharing(cid, false, options)
  }

  async shareAgain (cid: string, options?: AbortOptions): Promise<void> {
    await this.setSharing(cid, true, options)
    if (this.init.online()) await this.announceIfSharing(parseCidInput(cid).toString())
  }

  /** Announce a root unless the user stopped sharing it or deleted it (a download announces its root once stored). */
  async announceIfSharing (cid: string): Promise<void> {
    const record = await this.init.records.getShare(cid)
    if (record == null || record.sharing === false) return
    await this.init.announce(cid)
  }

  /** At start-up and after reconnecting: announce every complete item shown as sharing, and nothing else. */
  async reprovide (): Promise<void> {
    const records = await this.init.records.listShares()
    await Promise.all(records.filter(r => r.complete && r.sharing !== false).map(async r => this.init.announce(r.cid)))
  }

  async delete (cidInput: string, options: AbortOptions = {}): Promise<DeleteResult> {
    const cid = parseCidInput(cidInput).toString()
    if (this.init.transfers.get(cid) != null) this.init.transfers.remove(cid) // cancels it first
    await this.init.records.deleteShare(cid, options)
    this.changed(cid)
    const run = this.collecting.catch(() => {}).then(async () => collectGarbage({
      store: this.init.store,
      witness: this.init.witness,
      roots: async () => this.roots(options)
    }, options))
    this.collecting = run
    const blocksDeleted = await run
    log('deleted %s: %d blocks', cid, blocksDeleted)
    return { blocksDeleted }
  }

  /** Something changed an item (a share was added, a download finished...). */
  changed (cid: string): void {
    this.dispatchEvent(new CustomEvent('change', { detail: { cid } }))
  }

  /** What must survive a collection: every record's root and every download not over. */
  private async roots (options: AbortOptions): Promise<string[]> {
    const records = await this.init.records.listShares(options)
    const running = this.init.transfers.list().filter(t => t.state !== 'cancelled').map(t => t.cid)
    return [...new Set([...records.map(r => r.cid), ...running])]
  }

  private async setSharing (cidInput: string, sharing: boolean, options?: AbortOptions): Promise<void> {
    const cid = parseCidInput(cidInput).toString()
    const record = await this.init.records.getShare(cid, options)
    if (record == null) throw new NotInLibraryError(cid)
    await this.init.records.putShare({ ...record, sharing, updatedAt: record.updatedAt }, options)
    this.changed(cid)
  }
}

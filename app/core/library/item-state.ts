import type { ShareRecord } from '../storage/block-store.ts'
import type { LibraryItem, LibraryState, Transfer } from '../types.ts'

/** A record's state, with its download's (if one is under way) taking precedence. */
export function itemState (record: ShareRecord | undefined, transfer: Transfer | undefined): LibraryState {
  switch (transfer?.state) {
    case 'queued': case 'running': return 'downloading'
    case 'paused': return 'paused'
    case 'failed': return 'failed'
    default: break
  }
  if (record == null) return 'downloading'
  if (record.complete) return record.sharing === false ? 'stopped' : 'sharing'
  if (record.paused === true) return 'paused'
  // its run ended with the picked files stored (the rest was not picked), or a previous visit's download not restored yet
  return transfer?.state === 'done' && record.selection != null ? 'picked' : 'downloading'
}

/** How the library shows a record (or a download whose record is not written yet). */
export function toItem (cid: string, record: ShareRecord | undefined, transfer: Transfer | undefined): LibraryItem {
  return {
    cid,
    names: record?.files.map(file => file.path) ?? [],
    files: record?.files.map(file => ({ ...file })) ?? [],
    totalBytes: record?.complete === true ? record.totalBytes : transfer?.progress?.totalBytes ?? record?.totalBytes ?? 0,
    origin: record?.origin ?? 'downloaded',
    state: itemState(record, transfer),
    sharing: record?.sharing !== false,
    updatedAt: record?.updatedAt ?? Date.now()
  }
}

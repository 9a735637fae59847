import {
  clearPending,
  dropStalePending,
  MAX_SHARED_FILES,
  SHARE_TARGET_ERROR_PARAM,
  SHARE_TARGET_PARAM,
  takePending,
  type InboxStorage,
  type SharedItemsReason
} from '../../sw/share-target-inbox.ts'
import { findSharedCid } from './shared-link.ts'

/** What another app shared with Chiral could not be taken; `reason` says why (error-text.ts has the sentences). */
export class SharedItemsError extends Error {
  override readonly name = 'SharedItemsError'
  readonly reason: SharedItemsReason
  readonly maxFiles = MAX_SHARED_FILES
  constructor (reason: SharedItemsReason) {
    super(`The shared items could not be taken (${reason})`)
    this.reason = reason
  }
}

export interface PickUpDeps {
  /** The drop zone's path: import and announce, as if the files had been dropped. */
  share: (files: File[]) => Promise<void>
  /** Open a shared Chiral link as a download. */
  openCid: (cid: string) => void
  report: (err: unknown) => void
  storage: InboxStorage
  /** The page's address; the share-target parameters are removed from it at once. */
  location: Pick<Location, 'href'>
  replaceUrl: (url: string) => void
}

/**
 * The page the service worker redirected to after another app shared with
 * Chiral (`/?share-target=<id>`): share the waiting files, open a shared link,
 * then empty the inbox. Any other page only drops a share left over for too long.
 */
export async function pickUpSharedItems (deps: PickUpDeps): Promise<void> {
  const url = new URL(deps.location.href)
  const id = url.searchParams.get(SHARE_TARGET_PARAM)
  const failure = url.searchParams.get(SHARE_TARGET_ERROR_PARAM)
  if (id == null && failure == null) {
    await dropStalePending(deps.storage)
    return
  }
  // a reload of this page must not share the same files twice
  url.searchParams.delete(SHARE_TARGET_PARAM)
  url.searchParams.delete(SHARE_TARGET_ERROR_PARAM)
  deps.replaceUrl(`${url.pathname}${url.search}${url.hash}`)
  if (failure != null) {
    deps.report(new SharedItemsError(isReason(failure) ? failure : 'unreadable'))
    return
  }
  const pending = await takePending(deps.storage, id ?? '')
  if (pending == null) {
    deps.report(new SharedItemsError('lost'))
    return
  }
  try {
    const cid = findSharedCid([pending.url, pending.text, pending.title])
    if (cid == null && pending.files.length === 0) deps.report(new SharedItemsError('empty'))
    if (cid != null) deps.openCid(cid)
    if (pending.files.length > 0) await deps.share(pending.files)
  } finally {
    await clearPending(deps.storage)
  }
}

const REASONS = new Set<string>(['too-many', 'unreadable', 'storage', 'lost', 'empty', 'unavailable'] satisfies SharedItemsReason[])
function isReason (value: string): value is SharedItemsReason {
  return REASONS.has(value)
}

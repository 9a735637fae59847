import { QuotaExceededError } from '../errors.ts'

/** What a browser says about its storage for this origin (navigator.storage). */
export interface StorageEstimator {
  estimate(): Promise<{ usage?: number, quota?: number }>
}

/**
 * A share takes a little more than its files: the DAG's nodes and IndexedDB's
 * own records. 2 % covers both for 256 KiB blocks (one 174-link node per 44 MB).
 */
export const SHARE_STORAGE_OVERHEAD = 1.02

/**
 * Refuse, before a single block is written, a share the browser will not have
 * room for: failing half-way would leave blocks behind and cost the person the
 * wait. Unknown sizes (streams) and runtimes without an estimate pass.
 *
 * @throws QuotaExceededError with what is needed and what is free
 */
export async function checkRoomFor (bytes: number | undefined, estimator: StorageEstimator | undefined): Promise<void> {
  if (bytes == null || estimator == null) return
  let estimate: { usage?: number, quota?: number }
  try {
    estimate = await estimator.estimate()
  } catch {
    return // no estimate: the write itself will tell
  }
  if (estimate.quota == null) return
  const free = Math.max(0, estimate.quota - (estimate.usage ?? 0))
  const needed = Math.ceil(bytes * SHARE_STORAGE_OVERHEAD)
  if (needed > free) throw new QuotaExceededError(undefined, { needed, free })
}

/// <reference lib="webworker" />
import { openIdbStore } from '../core/storage/idb-store.ts'
import { errorResponse } from './route-response.ts'

export type RouteStore = Awaited<ReturnType<typeof openIdbStore>>

/**
 * Open the block store for one answer, and close it afterwards unless the
 * answer's streamed body took it over (`handOver()`: the body closes it when
 * it ends or is cancelled). A failure before the body becomes `fail(err)`.
 */
export async function withStore (
  answer: (store: RouteStore, handOver: () => void) => Promise<Response>,
  fail: (err: unknown) => Response = errorResponse
): Promise<Response> {
  let store: RouteStore
  try {
    store = await openIdbStore()
  } catch (err) {
    return fail(err)
  }
  let handedOver = false
  try {
    return await answer(store, () => { handedOver = true })
  } catch (err) {
    return fail(err)
  } finally {
    if (!handedOver) await store.close().catch(() => {})
  }
}

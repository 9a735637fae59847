import { createSignal, type Accessor } from 'solid-js'
import { openIdbStore } from '../../core/storage/idb-store.ts'
import type { DownloadResult, Peer, PeerInit } from '../../core/types.ts'
import { markStart } from '../../core/util/start-marks.ts'
import { fetchBootstrap, peerInit, type BootstrapInfo } from './bootstrap.ts'
import { loadPeerCode, type CreatePeer } from './peer-code.ts'

export type BootPhase = 'bootstrap' | 'starting' | 'running' | 'failed'

/** First automatic retry after the relay could not be reached; each next one waits twice as long. */
export const BOOT_RETRY_FIRST_MS = 1_000
/** The longest wait between automatic retries: a relay back after a restart is found within this. */
export const BOOT_RETRY_MAX_MS = 15_000

export interface Boot {
  phase: Accessor<BootPhase>
  peer: Accessor<Peer | undefined>
  error: Accessor<unknown>
  /** Start (again) now, after a failure; automatic retries are scheduled while the relay cannot be reached. */
  start(): Promise<void>
  /** Settles with the first start attempt: the peer, or undefined when that attempt failed. */
  firstAttempt: Promise<Peer | undefined>
}

export interface BootDeps {
  fetchBootstrap(): Promise<BootstrapInfo>
  /** The peer's code, a chunk of its own (kernel/peer-code.ts): loaded while /bootstrap.json is asked for. */
  loadPeer(): Promise<CreatePeer>
  /** Open the IndexedDB store meanwhile too (the peer's identity lives there); one store for every attempt. */
  openStore?(): NonNullable<PeerInit['idb']>
}

declare global {
  /** For debugging and end-to-end tests: the page's peer once it exists, and the last finished download. */
  // eslint-disable-next-line no-var
  var chiral: { peer: Peer, lastDownload?: DownloadResult } | undefined
}

/**
 * Start-up: ask the relay where it is while the peer's code loads and
 * IndexedDB opens, then create this tab's peer. A page opened while the relay
 * is down (from the service worker's cache) keeps trying by itself, with
 * backoff, and whenever the browser comes back online.
 */
export function createBoot (deps: BootDeps = { fetchBootstrap: async () => fetchBootstrap(), loadPeer: loadPeerCode, openStore: async () => openIdbStore() }): Boot {
  const [phase, setPhase] = createSignal<BootPhase>('bootstrap')
  const [peer, setPeer] = createSignal<Peer>()
  const [error, setError] = createSignal<unknown>()
  let running = false
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let nextDelay = BOOT_RETRY_FIRST_MS
  let store: PeerInit['idb']
  let attempted!: (peer: Peer | undefined) => void
  const firstAttempt = new Promise<Peer | undefined>(resolve => { attempted = resolve })

  const retryLater = (): void => {
    clearTimeout(retryTimer)
    retryTimer = setTimeout(() => { void start() }, nextDelay)
    nextDelay = Math.min(nextDelay * 2, BOOT_RETRY_MAX_MS)
  }

  const start = async (): Promise<void> => {
    if (running || peer() != null) return
    clearTimeout(retryTimer)
    running = true
    setError(undefined)
    try {
      setPhase('bootstrap')
      markStart('boot')
      const code = deps.loadPeer()
      code.catch(() => {}) // awaited below; a relay that does not answer is the error to report
      if (deps.openStore != null) {
        store ??= deps.openStore()
        store.catch(() => { store = undefined }) // reported by createPeer; the next attempt opens it again
      }
      const info = await deps.fetchBootstrap()
      markStart('bootstrap')
      setPhase('starting')
      const createPeer = await code
      const created = await createPeer({ ...peerInit(info), ...(store != null ? { idb: store } : {}) })
      globalThis.chiral = { peer: created }
      setPeer(created)
      setPhase('running')
      attempted(created)
      globalThis.removeEventListener?.('online', onOnline)
    } catch (err) {
      console.warn('chiral: start-up failed', err)
      setError(() => err)
      setPhase('failed')
      attempted(undefined)
      if (err instanceof Error && err.name === 'RelayUnreachableError') retryLater()
    } finally {
      running = false
    }
  }

  const onOnline = (): void => { void start() }
  globalThis.addEventListener?.('online', onOnline)

  return { phase, peer, error, start, firstAttempt }
}

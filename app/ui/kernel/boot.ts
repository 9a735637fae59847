import { createSignal, type Accessor } from 'solid-js'
import { createPeer } from '../../core/index.ts'
import type { DownloadResult, Peer } from '../../core/types.ts'
import { fetchBootstrap, peerInit } from './bootstrap.ts'

export type BootPhase = 'bootstrap' | 'starting' | 'running' | 'failed'

export interface Boot {
  phase: Accessor<BootPhase>
  peer: Accessor<Peer | undefined>
  error: Accessor<unknown>
  /** Start (again) after a failure. */
  start(): Promise<void>
}

declare global {
  /** For debugging and end-to-end tests: the page's peer once it exists, and the last finished download. */
  // eslint-disable-next-line no-var
  var chiral: { peer: Peer, lastDownload?: DownloadResult } | undefined
}

/** Start-up: ask the relay where it is, then create this tab's peer. */
export function createBoot (): Boot {
  const [phase, setPhase] = createSignal<BootPhase>('bootstrap')
  const [peer, setPeer] = createSignal<Peer>()
  const [error, setError] = createSignal<unknown>()
  let running = false

  const start = async (): Promise<void> => {
    if (running || peer() != null) return
    running = true
    setError(undefined)
    try {
      setPhase('bootstrap')
      const info = await fetchBootstrap()
      setPhase('starting')
      const created = await createPeer(peerInit(info))
      globalThis.chiral = { peer: created }
      setPeer(created)
      setPhase('running')
    } catch (err) {
      console.warn('chiral: start-up failed', err)
      setError(() => err)
      setPhase('failed')
    } finally {
      running = false
    }
  }

  return { phase, peer, error, start }
}

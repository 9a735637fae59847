import type { Page } from '@playwright/test'
import type { Peer } from '../app/core/types.ts'

export interface ProvideProbe {
  cid: string
  /** share() phase 'announcing' → 'done': the DHT provide of a fresh CID. */
  provideMs: number
}

/**
 * Share a tiny random blob through the page's peer (the public `Peer.share`) and
 * time its announce phase, which is exactly the DHT provide. A provide that fails
 * only warns, so a warning during the window fails the probe.
 */
export async function probeProvide (page: Page): Promise<ProvideProbe> {
  return page.evaluate(async () => {
    const peer = globalThis.chiral!.peer
    const bytes = crypto.getRandomValues(new Uint8Array(4096))
    let announcing: number | undefined
    let done: number | undefined
    let warning: Error | undefined
    const onWarning = (event: CustomEvent<Error>): void => { warning = event.detail }
    peer.addEventListener('warning', onWarning)
    try {
      const result = await peer.share([{ name: `probe-${Date.now()}.bin`, content: new Blob([bytes]) }], {
        onProgress: p => {
          if (p?.phase === 'announcing') announcing = performance.now()
          if (p?.phase === 'done') done = performance.now()
        }
      })
      if (warning != null) throw new Error(`provide failed: ${warning.message}`)
      if (announcing == null || done == null) throw new Error(`no announce phase (peer status: ${peer.status})`)
      return { cid: result.cid, provideMs: done - announcing }
    } finally {
      peer.removeEventListener('warning', onWarning)
    }
  })
}

export interface FindProbe {
  /** DHT findProviders to the first provider, when the page offers that; else find + dial + open a stream. */
  findProvidersMs: number
  method: 'peer.findProviders' | 'download:finding→transferring'
  /** The whole tiny download, Download to done. */
  tinyDownloadMs: number
}

/**
 * From a peer that has no connection to the provider yet. `Peer` exposes no DHT
 * query, so unless it grows one (`peer.findProviders(cid)`, an AsyncIterable),
 * we time a tiny download from its start to its first 'transferring' progress:
 * findProviders + WebRTC dial + block stream, an upper bound of findProviders.
 */
export async function probeFindProviders (page: Page, cid: string): Promise<FindProbe> {
  return page.evaluate(async cid => {
    const peer = globalThis.chiral!.peer as Peer & {
      findProviders?: (cid: string, options?: { signal?: AbortSignal }) => AsyncIterable<unknown>
    }
    let findProvidersMs: number | undefined
    let method: 'peer.findProviders' | 'download:finding→transferring' = 'download:finding→transferring'
    if (typeof peer.findProviders === 'function') {
      method = 'peer.findProviders'
      const controller = new AbortController()
      const t0 = performance.now()
      for await (const _ of peer.findProviders(cid, { signal: controller.signal })) {
        findProvidersMs = performance.now() - t0
        break
      }
      controller.abort()
    }
    const t0 = performance.now()
    let transferring: number | undefined
    await peer.download(cid, {
      onProgress: p => { if (p?.phase === 'transferring') transferring ??= performance.now() }
    })
    const tinyDownloadMs = performance.now() - t0
    if (method === 'download:finding→transferring') {
      if (transferring == null) throw new Error('the probe download never reported transferring')
      findProvidersMs = transferring - t0
    }
    if (findProvidersMs == null) throw new Error('findProviders found nobody')
    return { findProvidersMs, method, tinyDownloadMs }
  }, cid)
}

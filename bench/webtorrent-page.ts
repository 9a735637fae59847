import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Page } from '@playwright/test'
import type { BenchBrowser } from './browsers.ts'
import type { StaticFile } from './local-tracker.ts'

/**
 * A blank page on `origin` (the local tracker's, see local-tracker.ts) with WebTorrent 3's browser bundle loaded,
 * an in-memory chunk store, and a guard that records every RTCPeerConnection's
 * iceServers and every WebSocket's URL (so the bench can prove nothing was
 * configured to leave the machine).
 */

/** What WebTorrent is told: the WebRTC tracker path only, no STUN servers, nothing else that could reach out. */
export const CLIENT_OPTIONS = {
  dht: false,
  lsd: false,
  utp: false,
  utPex: false,
  webSeeds: false,
  natUpnp: false,
  natPmp: false,
  // bittorrent-tracker's Client hands `rtcConfig` to simple-peer as `config`, which
  // otherwise defaults to Google's and Twilio's STUN servers
  tracker: { rtcConfig: { iceServers: [] } }
}

/** What the guard saw in one page. */
export interface NetworkGuard {
  /** JSON of each RTCPeerConnection's iceServers, in creation order. */
  iceServers: string[]
  webSockets: string[]
}

declare global {
  // eslint-disable-next-line no-var
  var benchGuard: NetworkGuard | undefined
}

const PAGE_PATH = '/webtorrent-bench.html'
const MODULE_PATH = '/webtorrent.min.js'

/** What the local tracker serves: a blank page with a file input, and WebTorrent's ES module bundle for browsers. */
export function webTorrentFiles (): Record<string, StaticFile> {
  return {
    [PAGE_PATH]: { contentType: 'text/html', body: '<!doctype html><meta charset="utf-8"><title>webtorrent bench</title><input type="file" id="file">' },
    // webtorrent's package exports do not name dist/
    [MODULE_PATH]: { contentType: 'text/javascript', body: readFileSync(fileURLToPath(new URL('../node_modules/webtorrent/dist/webtorrent.min.js', import.meta.url)), 'utf8') }
  }
}

export async function webTorrentPage (browser: BenchBrowser, origin: string): Promise<Page> {
  const page = await browser.newPage()
  await page.addInitScript(() => {
    const guard: NetworkGuard = { iceServers: [], webSockets: [] }
    globalThis.benchGuard = guard
    const NativePeerConnection = globalThis.RTCPeerConnection
    globalThis.RTCPeerConnection = class extends NativePeerConnection {
      constructor (config?: RTCConfiguration) {
        guard.iceServers.push(JSON.stringify(config?.iceServers ?? []))
        super(config)
      }
    }
    const NativeWebSocket = globalThis.WebSocket
    globalThis.WebSocket = class extends NativeWebSocket {
      constructor (url: string | URL, protocols?: string | string[]) {
        guard.webSockets.push(String(url))
        super(url, protocols)
      }
    }
  })
  await page.goto(`${origin}${PAGE_PATH}`)
  await page.evaluate(async url => {
    const { default: WebTorrent } = await import(url) as { default: unknown }
    /** An in-memory chunk store with memory-chunk-store's behaviour (that package is not in the browser bundle). */
    class MemoryStore {
      chunkLength: number
      chunks: Uint8Array[] = []
      constructor (chunkLength: number) { this.chunkLength = Number(chunkLength) }
      put (index: number, buf: Uint8Array, cb: (err: Error | null) => void = () => {}): void {
        this.chunks[index] = buf
        queueMicrotask(() => { cb(null) })
      }

      get (index: number, opts: { offset?: number, length?: number } | null | ((err: Error | null, buf?: Uint8Array) => void), cb?: (err: Error | null, buf?: Uint8Array) => void): void {
        if (typeof opts === 'function') { cb = opts; opts = null }
        const done = cb ?? (() => {})
        const buf = this.chunks[index]
        if (buf == null) {
          queueMicrotask(() => { done(Object.assign(new Error('Chunk not found'), { notFound: true })) })
          return
        }
        const offset = opts?.offset ?? 0
        const length = opts?.length ?? buf.length - offset
        const out = offset === 0 && length === buf.length ? buf : buf.slice(offset, offset + length)
        queueMicrotask(() => { done(null, out) })
      }

      close (cb: (err: Error | null) => void = () => {}): void {
        this.chunks = []
        queueMicrotask(() => { cb(null) })
      }

      destroy (cb?: (err: Error | null) => void): void { this.close(cb) }
    }
    ;(globalThis as unknown as { benchWt: unknown }).benchWt = { WebTorrent, MemoryStore, verifiedBytes: 0 }
  }, MODULE_PATH)
  return page
}

export async function readGuard (page: Page): Promise<NetworkGuard> {
  return page.evaluate(() => globalThis.benchGuard ?? { iceServers: [], webSockets: [] })
}

/**
 * Throws unless the page built at least one RTCPeerConnection, every one with no
 * ICE servers, and opened WebSockets only to the local tracker.
 */
export function assertLocalOnly (role: string, guard: NetworkGuard, trackerUrl: string): void {
  if (guard.iceServers.length === 0) throw new Error(`WebTorrent ${role}: no RTCPeerConnection was recorded (the guard did not see WebRTC)`)
  const withServers = guard.iceServers.filter(s => s !== '[]')
  if (withServers.length > 0) throw new Error(`WebTorrent ${role}: an RTCPeerConnection was configured with ICE servers ${withServers[0]}; the bench must stay on this machine`)
  const elsewhere = guard.webSockets.filter(url => !url.startsWith(trackerUrl))
  if (elsewhere.length > 0) throw new Error(`WebTorrent ${role}: a WebSocket to ${elsewhere[0]} was opened; only the local tracker ${trackerUrl} is allowed`)
}

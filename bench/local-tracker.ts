import type { Socket } from 'node:net'
import { Server } from 'bittorrent-tracker'

/**
 * A WebSocket-only BitTorrent tracker in the bench's own process, on 127.0.0.1
 * and a free port. Its HTTP server also serves the WebTorrent pages: Chromium's
 * local-network-access checks let a page open ws://127.0.0.1 only if the page
 * itself came from a local server (a Playwright-fulfilled page counts as public).
 */
export interface LocalTracker {
  /** ws://127.0.0.1:<port> */
  url: string
  /** http://127.0.0.1:<port>, where `files` are served */
  origin: string
  /** Resolves once a peer has announced `started` for this info hash (hex), even if it did so before the call. */
  started (infoHash: string, timeoutMs: number): Promise<void>
  close (): Promise<void>
}

export interface StaticFile { contentType: string, body: string }

export async function startTracker (files: Record<string, StaticFile> = {}): Promise<LocalTracker> {
  // no UDP, no HTTP announce, no /stats page: only what WebTorrent in a browser can use
  const server = new Server({ udp: false, http: false, ws: true, stats: false, trustProxy: false })
  // before the tracker's own handler (added on the next tick), which answers 404 unless headers were sent
  server.http!.on('request', (req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://x').pathname]
    if (file == null) return
    res.writeHead(200, { 'content-type': file.contentType, 'cache-control': 'no-store' })
    res.end(file.body)
  })
  const seen = new Set<string>()
  const waiters = new Map<string, Array<() => void>>()
  server.on('start', (_peerId: string, params: { info_hash: string }) => {
    seen.add(params.info_hash)
    for (const wake of waiters.get(params.info_hash) ?? []) wake()
    waiters.delete(params.info_hash)
  })
  // closing the server waits for every socket, and a closed page's WebSocket took ~100 s to go: end them ourselves
  const sockets = new Set<Socket>()
  server.http!.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => { sockets.delete(socket) })
  })
  server.on('warning', () => {}) // a client's malformed message; the timed run will show it as a failure
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => { server.off('error', reject); resolve() })
  })
  server.on('error', () => {})
  const port = server.ws!.address().port
  return {
    url: `ws://127.0.0.1:${port}`,
    origin: `http://127.0.0.1:${port}`,
    started: async (infoHash, timeoutMs) => {
      if (seen.has(infoHash)) return
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => { reject(new Error(`no announce for ${infoHash} reached the tracker in ${timeoutMs} ms`)) }, timeoutMs)
        waiters.set(infoHash, [...(waiters.get(infoHash) ?? []), () => { clearTimeout(timer); resolve() }])
      })
    },
    close: async () => {
      const closed = new Promise<void>(resolve => { server.close(() => { resolve() }) })
      for (const socket of sockets) socket.destroy()
      await closed
    }
  }
}

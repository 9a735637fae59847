import { createReadStream } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { pipeline } from 'node:stream/promises'
import { cacheControlFor } from './cache-policy.ts'
import { mimeTypeOf } from './mime-types.ts'
import { lookupStatic } from './static-files.ts'
import { BOOTSTRAP_PATH } from '../app/core/protocol/bootstrap-document.ts'
import type { BootstrapDocument } from '../app/core/protocol/bootstrap-document.ts'
import type { AddressInfo } from 'node:net'

export { BOOTSTRAP_PATH }

export interface RelayHttpServerInit {
  /** The built app (Vite's outDir). It may be missing: then only /bootstrap.json works. */
  distDir: string
  /**
   * Called per request, so the answer follows the node's current addresses and
   * carries TURN credentials minted for (and rate-limited by) this client.
   */
  bootstrap: (clientIp: string) => BootstrapDocument
}

/** HTTP server for the built PWA plus /bootstrap.json. GET and HEAD only. */
export function createRelayHttpServer (init: RelayHttpServerInit): Server {
  return createServer((req, res) => {
    handle(init, req, res).catch(err => {
      if (!res.headersSent) sendText(req, res, 500, `Internal error: ${(err as Error).message}\n`)
      else res.destroy(err as Error)
    })
  })
}

async function handle (init: RelayHttpServerInit, req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.setHeader('X-Content-Type-Options', 'nosniff')
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD')
    sendText(req, res, 405, 'Only GET and HEAD are supported\n')
    return
  }
  const path = pathOf(req.url)

  if (path === BOOTSTRAP_PATH) {
    const document = init.bootstrap(req.socket.remoteAddress ?? '')
    const body = Buffer.from(JSON.stringify(document, null, 2) + '\n')
    if (document.iceServers.some(server => server.credential != null)) {
      // TURN credentials: never cached by anyone, and only for pages we serve (no
      // CORS), or any web site could mint them through its visitors' browsers
      res.setHeader('Cache-Control', 'no-store')
    } else {
      res.setHeader('Cache-Control', cacheControlFor(path))
      // nothing secret: another origin (a dev server, a developer's page) may ask where the relay is
      res.setHeader('Access-Control-Allow-Origin', '*')
    }
    send(req, res, 200, 'application/json; charset=utf-8', body)
    return
  }

  const found = await lookupStatic(init.distDir, path)
  switch (found.kind) {
    case 'bad-request':
      sendText(req, res, 400, 'Bad request path\n')
      return
    case 'not-found':
      sendText(req, res, 404, 'Not found\n')
      return
    case 'not-built':
      sendText(req, res, 503, 'The app is not built yet: run "npm run build" (or start the relay without --no-build).\n')
      return
  }

  const { stats } = found
  const etag = `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`
  res.setHeader('Cache-Control', cacheControlFor(path))
  res.setHeader('ETag', etag)
  res.setHeader('Last-Modified', stats.mtime.toUTCString())
  if ((req.headers['if-none-match'] ?? '').split(',').map(t => t.trim()).includes(etag)) {
    res.writeHead(304).end()
    return
  }
  res.writeHead(200, { 'Content-Type': mimeTypeOf(found.path), 'Content-Length': stats.size })
  if (req.method === 'HEAD') {
    res.end()
    return
  }
  await pipeline(createReadStream(found.path), res)
}

function pathOf (url: string | undefined): string {
  // only the path matters; the base is a placeholder for relative request targets
  return new URL(url ?? '/', 'http://relay.invalid').pathname
}

function send (req: IncomingMessage, res: ServerResponse, status: number, type: string, body: Buffer): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': body.byteLength })
  res.end(req.method === 'HEAD' ? undefined : body)
}

function sendText (req: IncomingMessage, res: ServerResponse, status: number, text: string): void {
  res.setHeader('Cache-Control', 'no-store')
  send(req, res, status, 'text/plain; charset=utf-8', Buffer.from(text))
}

/** Listen and resolve with the bound address (the real port when `port` is 0). */
export async function listenHttp (server: Server, port: number, host: string, options: { signal?: AbortSignal } = {}): Promise<AddressInfo> {
  options.signal?.throwIfAborted()
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => { reject(err) }
    server.once('error', onError)
    server.listen({ port, host, signal: options.signal }, () => {
      server.off('error', onError)
      resolve()
    })
  })
  return server.address() as AddressInfo
}

/** Stop accepting, drop idle keep-alive sockets, wait for the close. */
export async function closeHttp (server: Server): Promise<void> {
  await new Promise<void>(resolve => {
    server.close(() => { resolve() })
    server.closeIdleConnections()
    server.closeAllConnections()
  })
}

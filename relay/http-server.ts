import { createReadStream } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { pipeline } from 'node:stream/promises'
import { logger } from '@libp2p/logger'
import { cacheControlFor } from './cache-policy.ts'
import { DEFAULT_LIMITS, type RelayLimits } from './limits.ts'
import { mimeTypeOf } from './mime-types.ts'
import { lookupStatic } from './static-files.ts'
import { BOOTSTRAP_PATH } from '../app/core/protocol/bootstrap-document.ts'
import { SHARE_TARGET_ERROR_PARAM, SHARE_TARGET_PATH } from '../app/core/protocol/share-target.ts'
import type { BootstrapDocument } from '../app/core/protocol/bootstrap-document.ts'
import type { Duplex } from 'node:stream'

const log = logger('chiral:relay:http')

export { BOOTSTRAP_PATH }

/**
 * Node enforces the request timeouts in a sweep that runs this often (its
 * default, 30 s, would let a stalled request live up to 40 s).
 */
export const TIMEOUT_CHECK_INTERVAL_MS = 1_000

export interface RelayHttpServerInit {
  /** The built app (Vite's outDir). It may be missing: then only /bootstrap.json works. */
  distDir: string
  /**
   * Called per request, so the answer follows the node's current addresses and
   * carries TURN credentials minted for (and rate-limited by) this client;
   * undefined while starting.
   */
  bootstrap: (clientIp: string, options: { mint: boolean }) => BootstrapDocument | undefined
  /** PEM certificate chain and key: serve https (and wss) instead of http. */
  tls?: { cert: Buffer | string, key: Buffer | string }
  limits?: Pick<RelayLimits, 'httpTimeoutMs' | 'keepAliveTimeoutMs' | 'handshakeTimeoutMs'>
  /** Whom a request comes from (behind a trusted proxy: X-Forwarded-For). Default: the socket's address. */
  clientAddress?: (req: IncomingMessage) => string
}

/**
 * HTTP(S) server for the built PWA plus /bootstrap.json, GET and HEAD only. It
 * is also the relay's one public port: the libp2p WebSocket listener takes its
 * 'upgrade' requests (relay/ws-transport/). Malformed requests, TLS failures and
 * socket errors close that one socket and nothing else.
 */
export function createRelayHttpServer (init: RelayHttpServerInit): Server {
  const limits = init.limits ?? DEFAULT_LIMITS
  const options: ServerOptions = {
    // GET and HEAD carry no body, so the whole request is its headers
    headersTimeout: limits.httpTimeoutMs,
    requestTimeout: limits.httpTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS
  }
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    handle(init, req, res).catch(err => {
      if (!res.headersSent) sendText(req, res, 500, `Internal error: ${(err as Error).message}\n`)
      else res.destroy(err as Error)
    })
  }
  const server = init.tls == null
    ? createServer(options, onRequest)
    // an https.Server is an http.Server for everything we use (same events, same timeouts)
    : createHttpsServer({ ...options, cert: init.tls.cert, key: init.tls.key, handshakeTimeout: limits.handshakeTimeoutMs }, onRequest) as unknown as Server
  server.on('clientError', onClientError)
  return server
}

/**
 * A request that cannot be parsed, timed out, or a TLS handshake that failed:
 * answer when HTTP can still be spoken, then close only that socket. (https
 * servers report TLS failures here too, as 'tlsClientError' then 'clientError'.)
 */
function onClientError (err: NodeJS.ErrnoException, socket: Duplex): void {
  log('client error: %s', err.code ?? err.message)
  const code = err.code ?? ''
  const status = code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : code.startsWith('HPE_') ? '400 Bad Request' : undefined
  if (status != null && socket.writable) {
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
  }
  socket.destroy()
}

async function handle (init: RelayHttpServerInit, req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.setHeader('X-Content-Type-Options', 'nosniff')
  if (req.method === 'POST' && pathOf(req.url) === SHARE_TARGET_PATH) {
    // reached only when the page's service worker is gone: back to the page, which says so
    res.writeHead(303, { Location: `/?${SHARE_TARGET_ERROR_PARAM}=unavailable`, 'Cache-Control': 'no-store', Connection: 'close' })
    res.end()
    return
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD')
    sendText(req, res, 405, 'Only GET and HEAD are supported\n')
    return
  }
  if (req.headers.upgrade != null) {
    // libp2p's listener takes upgrades once it is attached; before and after that they land here
    sendText(req, res, 503, 'The relay is not accepting WebSocket connections right now (starting or stopping)\n')
    return
  }
  const path = pathOf(req.url)

  if (path === BOOTSTRAP_PATH) {
    const document = init.bootstrap(init.clientAddress?.(req) ?? req.socket.remoteAddress ?? '', { mint: mayMintFor(req) })
    if (document == null) {
      sendText(req, res, 503, 'The relay is starting\n')
      return
    }
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

/**
 * TURN credentials go to the app's own requests only. A browser says where a
 * request comes from (Sec-Fetch-Site): another site's page could otherwise make
 * its visitors' browsers fetch /bootstrap.json and spend their address's
 * minting allowance (the response is unreadable to it, the token is still
 * spent). Tools that send no such header (curl, chiral doctor) still get them;
 * a HEAD never does.
 */
export function mayMintFor (req: IncomingMessage): boolean {
  if (req.method !== 'GET') return false
  const site = req.headers['sec-fetch-site']
  return site == null || site === 'same-origin' || site === 'none'
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

import { Agent, request } from 'node:http'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientAddresses } from '../../relay/client-address.ts'
import { createRelayHttpServer } from '../../relay/http-server.ts'
import { closePublicPort, guardPublicPort, listenPublicPort, type PortGuard } from '../../relay/public-port.ts'
import type { BootstrapInfo } from '../../relay/bootstrap-info.ts'
import type { Server } from 'node:http'

const BOOTSTRAP: BootstrapInfo = {
  peerId: '12D3KooWTest',
  multiaddrs: ['/ip4/127.0.0.1/tcp/9090/ws/p2p/12D3KooWTest'],
  allowPrivateAddresses: true,
  iceServers: [{ urls: ['stun:stun.example.com:3478'] }]
}

/** A request with the path sent exactly as written (fetch would normalise `..`). */
async function raw (base: string, path: string, method = 'GET'): Promise<{ status: number, headers: Record<string, unknown>, body: string }> {
  const url = new URL(base)
  return await new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method }, res => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', chunk => { body += chunk })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, headers: res.headers, body }) })
    })
    req.on('error', reject)
    req.end()
  })
}

interface Started { server: Server, guard: PortGuard, base: string }

async function start (distDir: string): Promise<Started> {
  const server = createRelayHttpServer({ distDir, bootstrap: () => BOOTSTRAP })
  const guard = guardPublicPort(server, { maxConnectionsPerIp: 64, maxSockets: 1024 })
  const address = await listenPublicPort(server, 0, '127.0.0.1')
  return { server, guard, base: `http://127.0.0.1:${address.port}` }
}

describe('relay http server', () => {
  let dir: string
  let started: Started
  let base: string

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chiral-http-'))
    const dist = join(dir, 'dist')
    await mkdir(join(dist, 'assets'), { recursive: true })
    await writeFile(join(dist, 'index.html'), '<!doctype html><title>Chiral</title>')
    await writeFile(join(dist, 'sw.js'), 'self.addEventListener("fetch", () => {})')
    await writeFile(join(dist, 'manifest.webmanifest'), '{}')
    await writeFile(join(dist, 'icon.png'), new Uint8Array([0x89, 0x50]))
    await writeFile(join(dist, 'icon.svg'), '<svg/>')
    await writeFile(join(dist, 'assets', 'index-abc123.js'), 'export {}')
    await writeFile(join(dist, 'assets', 'chunk.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d]))
    await writeFile(join(dir, 'secret.txt'), 'outside dist')
    await symlink(join(dir, 'secret.txt'), join(dist, 'leak.txt'))
    ;(started = await start(dist))
    base = started.base
  })

  afterAll(async () => {
    await closePublicPort(started.server, started.guard)
    await rm(dir, { recursive: true, force: true })
  })

  it('serves /bootstrap.json, uncached and readable from other origins', async () => {
    const res = await fetch(`${base}/bootstrap.json`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(res.headers.get('cache-control')).toBe('no-cache')
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(await res.json()).toEqual(BOOTSTRAP)
  })

  it('mints per client: the bootstrap callback sees the client address; credentials are never cached nor cross-origin', async () => {
    const seen: Array<[string, boolean]> = []
    const withTurn = createRelayHttpServer({
      distDir: dir,
      bootstrap: (ip, { mint }) => {
        seen.push([ip, mint])
        return mint
          ? { ...BOOTSTRAP, iceServers: [{ urls: ['turn:turn.example.com:3478'], username: '1:a', credential: 'c' }], iceServersTtl: 60 }
          : BOOTSTRAP
      }
    })
    const guard = guardPublicPort(withTurn, { maxConnectionsPerIp: 64, maxSockets: 1024 })
    const address = await listenPublicPort(withTurn, 0, '127.0.0.1')
    const url = `http://127.0.0.1:${address.port}/bootstrap.json`
    try {
      const res = await fetch(url)
      expect(res.headers.get('cache-control')).toBe('no-store')
      expect(res.headers.get('access-control-allow-origin')).toBeNull()
      expect((await res.json()).iceServers[0].credential).toBe('c')
      // the app's own page (same-origin) mints; another site's page, or a HEAD, does not spend the allowance
      await fetch(url, { headers: { 'Sec-Fetch-Site': 'same-origin' } })
      await fetch(url, { headers: { 'Sec-Fetch-Site': 'cross-site' } })
      await fetch(url, { method: 'HEAD' })
      expect(seen).toEqual([['127.0.0.1', true], ['127.0.0.1', true], ['127.0.0.1', false], ['127.0.0.1', false]])
    } finally {
      await closePublicPort(withTurn, guard)
    }
  })

  it.each([
    ['/', 'text/html; charset=utf-8', 'no-cache'],
    ['/index.html', 'text/html; charset=utf-8', 'no-cache'],
    ['/sw.js', 'text/javascript; charset=utf-8', 'no-cache'],
    ['/manifest.webmanifest', 'application/manifest+json; charset=utf-8', 'no-cache'],
    ['/icon.png', 'image/png', 'no-cache'],
    ['/icon.svg', 'image/svg+xml', 'no-cache'],
    ['/assets/index-abc123.js', 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'],
    ['/assets/chunk.wasm', 'application/wasm', 'public, max-age=31536000, immutable']
  ])('serves %s as %s with Cache-Control %s', async (path, type, cache) => {
    const res = await fetch(base + path)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe(type)
    expect(res.headers.get('cache-control')).toBe(cache)
    await res.arrayBuffer()
  })

  it('behind a trusted proxy: the client from X-Forwarded-For is who mints, and the proxy is exempt from the per-address socket cap', async () => {
    const seen: string[] = []
    const clients = clientAddresses(['127.0.0.1'])
    const proxied = createRelayHttpServer({ distDir: dir, clientAddress: clients.of, bootstrap: (ip) => { seen.push(ip); return BOOTSTRAP } })
    const guard = guardPublicPort(proxied, { maxConnectionsPerIp: 1, maxSockets: 1024, exempt: clients.isTrustedProxy })
    const address = await listenPublicPort(proxied, 0, '127.0.0.1')
    try {
      // several keep-alive sockets from the proxy at once: beyond a per-address cap of 1
      const agent = new Agent({ keepAlive: true, maxSockets: 4 })
      const get = async (forwardedFor: string): Promise<number> => await new Promise((resolve, reject) => {
        request({ host: '127.0.0.1', port: address.port, path: '/bootstrap.json', agent, headers: { 'x-forwarded-for': forwardedFor } }, res => {
          res.resume()
          res.on('end', () => { resolve(res.statusCode ?? 0) })
        }).on('error', reject).end()
      })
      expect(await Promise.all([get('198.51.100.7'), get('198.51.100.8'), get('6.6.6.6, 198.51.100.9')])).toEqual([200, 200, 200])
      expect(seen.sort()).toEqual(['198.51.100.7', '198.51.100.8', '198.51.100.9'])
      agent.destroy()
    } finally {
      await closePublicPort(proxied, guard)
    }
  })

  it('falls back to index.html for unknown app routes, with query strings', async () => {
    const res = await fetch(`${base}/share/bafyabc?x=1`)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-cache')
    expect(await res.text()).toContain('<title>Chiral</title>')
  })

  it('answers 404 for missing files and missing assets, not index.html', async () => {
    expect((await fetch(`${base}/missing.js`)).status).toBe(404)
    expect((await fetch(`${base}/assets/gone`)).status).toBe(404)
  })

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/%2e%2e%5csecret.txt',
    '/bad%zzescape',
    '/a%00b'
  ])('never serves files outside dist/ (%s)', async (path) => {
    const res = await raw(base, path)
    expect([400, 404]).toContain(res.status)
    expect(res.body).not.toContain('outside dist')
  })

  it('does not follow symlinks out of dist/', async () => {
    const res = await raw(base, '/leak.txt')
    expect(res.status).toBe(404)
    expect(res.body).not.toContain('outside dist')
  })

  it('answers HEAD with headers and no body', async () => {
    const res = await raw(base, '/sw.js', 'HEAD')
    expect(res.status).toBe(200)
    expect(res.headers['content-length']).toBe(String('self.addEventListener("fetch", () => {})'.length))
    expect(res.body).toBe('')
  })

  it('revalidates with ETag', async () => {
    const first = await fetch(`${base}/index.html`)
    await first.text()
    const etag = first.headers.get('etag')
    expect(etag).toBeTruthy()
    const again = await fetch(`${base}/index.html`, { headers: { 'if-none-match': etag ?? '' } })
    expect(again.status).toBe(304)
  })

  it('a share-target POST reaching the relay (the page\'s worker is gone) goes back to the page, which says so', async () => {
    const res = await fetch(`${base}/share-target`, { method: 'POST', body: new FormData(), redirect: 'manual' })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/?share-target-error=unavailable')
  })

  it('refuses other methods', async () => {
    const res = await fetch(`${base}/index.html`, { method: 'POST', body: 'x' })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('GET, HEAD')
  })

  it('answers 503 to WebSocket upgrades while no libp2p listener takes them (starting or stopping)', async () => {
    // fetch will not send an Upgrade header: ask over node:http
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(base)
      const req = request({ host: url.hostname, port: url.port, path: '/', headers: { Upgrade: 'websocket', Connection: 'Upgrade' } }, r => { resolve(r.statusCode ?? 0); r.resume() })
      req.on('error', reject)
      req.end()
    })
    expect(status).toBe(503)
  })

  it('answers 503 for /bootstrap.json until the relay knows its addresses', async () => {
    const server = createRelayHttpServer({ distDir: dir, bootstrap: () => undefined })
    const guard = guardPublicPort(server, { maxConnectionsPerIp: 64, maxSockets: 1024 })
    const address = await listenPublicPort(server, 0, '127.0.0.1')
    try {
      const res = await fetch(`http://127.0.0.1:${address.port}/bootstrap.json`)
      expect(res.status).toBe(503)
      expect(await res.text()).toMatch(/starting/)
    } finally {
      await closePublicPort(server, guard)
    }
  })

  it('serves /bootstrap.json and a clear 503 when the app is not built', async () => {
    const bare = await start(join(dir, 'no-such-dist'))
    try {
      expect((await fetch(`${bare.base}/bootstrap.json`)).status).toBe(200)
      const res = await fetch(`${bare.base}/`)
      expect(res.status).toBe(503)
      expect(await res.text()).toMatch(/not built/)
    } finally {
      await closePublicPort(bare.server, bare.guard)
    }
  })
})

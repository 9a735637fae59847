import { createHash, randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ChiralPage, makeFile, type TestFile } from './chiral-page.ts'
import { expect, test } from './fixtures.ts'
import type { Page } from '@playwright/test'

const MB = 1024 * 1024
/**
 * The sharer's upload cap: the 40 MB filler, first in the share's DAG order,
 * takes about 20 s to arrive, so anything read sooner from the middle of it or
 * from the file after it must have been fetched first, out of order.
 */
const SLOW_UPLOAD = 2 * MB
const FILLER = 40 * MB
/** An image decoded from blocks fetched first arrives in a few seconds; well under the filler's 20 s. */
const PLAY_TIMEOUT_MS = 15_000

/** A 24-bit BMP of random pixels (uncompressed: every block of it is needed to decode it). */
function makeBmp (dir: string, name: string, width: number, height: number): TestFile {
  const row = Math.ceil(width * 3 / 4) * 4
  const pixels = row * height
  const header = Buffer.alloc(54)
  header.write('BM', 0, 'ascii')
  header.writeUInt32LE(54 + pixels, 2)
  header.writeUInt32LE(54, 10)
  header.writeUInt32LE(40, 14)
  header.writeInt32LE(width, 18)
  header.writeInt32LE(height, 22)
  header.writeUInt16LE(1, 26)
  header.writeUInt16LE(24, 28)
  header.writeUInt32LE(pixels, 34)
  const bytes = Buffer.concat([header, randomBytes(pixels)])
  const path = join(dir, name)
  writeFileSync(path, bytes)
  return { path, name, size: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') }
}

async function shareSlowly (alice: ChiralPage, files: TestFile[]): Promise<string> {
  await alice.page.evaluate(limit => { globalThis.chiral!.peer.setUploadLimit(limit) }, SLOW_UPLOAD)
  await alice.page.getByTestId('file-input').setInputFiles(files.map(f => f.path))
  const cid = alice.page.getByTestId('share-cid')
  await expect(cid).toHaveText(/^baf[a-z2-7]+$/, { timeout: 60_000 })
  return (await cid.textContent())!.trim()
}

async function controlled (page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller != null)
}

/** Bytes the download has stored so far, as its row shows them. */
async function downloaded (bob: ChiralPage): Promise<number> {
  return Number(await bob.page.getByTestId('transfer-progress').getAttribute('aria-valuenow'))
}

test('a Range request for the middle of a file still downloading answers 206 with the right bytes', async ({ browser, relay, scratch }) => {
  const alice = new ChiralPage(await (await browser.newContext()).newPage())
  const bob = new ChiralPage(await (await browser.newContext()).newPage())
  await Promise.all([alice.open(relay.url), bob.open(relay.url)])
  const filler = makeFile(scratch, 'a-filler.bin', FILLER)
  const cid = await shareSlowly(alice, [filler, makeFile(scratch, 'b-notes.txt', 1000)])
  await controlled(bob.page)
  await bob.startDownload(cid)
  await expect(bob.page.getByTestId('running-files')).toBeVisible({ timeout: 30_000 }) // the folder's blocks are stored

  const start = 21 * MB + 12_345 // spans two 256 KiB blocks, far ahead of the download
  const end = start + 300_000
  const answer = await bob.page.evaluate(async ({ url, range }) => {
    const response = await fetch(url, { headers: { Range: range } })
    const body = await response.arrayBuffer()
    const digest = await crypto.subtle.digest('SHA-256', body)
    return {
      status: response.status,
      contentRange: response.headers.get('Content-Range'),
      contentLength: response.headers.get('Content-Length'),
      acceptRanges: response.headers.get('Accept-Ranges'),
      type: response.headers.get('Content-Type'),
      nosniff: response.headers.get('X-Content-Type-Options'),
      length: body.byteLength,
      sha256: [...new Uint8Array(digest)].map(b => b.toString(16).padStart(2, '0')).join('')
    }
  }, { url: `/media/${cid}/a-filler.bin`, range: `bytes=${start}-${end - 1}` })
  // the download had not reached these bytes: they were fetched first
  const stored = await downloaded(bob)
  console.log(`range of ${end - start} bytes at ${start} answered while the download held ${stored} bytes`)
  expect(stored).toBeGreaterThan(0)
  expect(stored).toBeLessThan(start)
  await expect(bob.page.getByTestId('transfer-state')).not.toHaveText(/complete$/)
  const source = readFileSync(filler.path).subarray(start, end)
  expect(answer).toEqual({
    status: 206,
    contentRange: `bytes ${start}-${end - 1}/${FILLER}`,
    contentLength: String(end - start),
    acceptRanges: 'bytes',
    type: 'application/octet-stream',
    nosniff: 'nosniff',
    length: end - start,
    sha256: createHash('sha256').update(source).digest('hex')
  })

  // past the end: 416 with the size; an open-ended range from the stored start
  const past = await bob.page.evaluate(async url => {
    const response = await fetch(url, { headers: { Range: 'bytes=999999999-' } })
    return { status: response.status, contentRange: response.headers.get('Content-Range') }
  }, `/media/${cid}/a-filler.bin`)
  expect(past).toEqual({ status: 416, contentRange: `bytes */${FILLER}` })
  const head = await bob.page.evaluate(async url => {
    const response = await fetch(url, { headers: { Range: 'bytes=0-9' } })
    return { status: response.status, bytes: [...new Uint8Array(await response.arrayBuffer())] }
  }, `/media/${cid}/a-filler.bin`)
  expect(head).toEqual({ status: 206, bytes: [...readFileSync(filler.path).subarray(0, 10)] })
})

test('the media player shows an image of a share while the share is still downloading', async ({ browser, relay, scratch }) => {
  const alice = new ChiralPage(await (await browser.newContext()).newPage())
  const bob = new ChiralPage(await (await browser.newContext()).newPage())
  await Promise.all([alice.open(relay.url), bob.open(relay.url)])
  const picture = makeBmp(scratch, 'b-picture.bmp', 1024, 1024) // 3 MB: 12 blocks after the 40 MB filler
  const cid = await shareSlowly(alice, [makeFile(scratch, 'a-filler.bin', FILLER), picture])
  await controlled(bob.page)
  await bob.startDownload(cid)

  const row = bob.page.getByTestId('running-files').locator('li', { hasText: 'b-picture.bmp' })
  await row.getByTestId('open-file').click({ timeout: 30_000 })
  const opened = Date.now()
  const player = row.getByTestId('media-player')
  await expect(player).toHaveAttribute('data-kind', 'image')
  // decoded: every pixel block arrived through the service worker
  await expect.poll(async () => player.getByTestId('media-element').evaluate(img => (img as HTMLImageElement).complete ? (img as HTMLImageElement).naturalWidth : 0), { timeout: PLAY_TIMEOUT_MS }).toBe(1024)
  // ...while the download was still on the filler before it
  const stored = await downloaded(bob)
  console.log(`image of ${picture.size} bytes decoded ${Date.now() - opened} ms after Open, while the download held ${stored} bytes`)
  expect(stored).toBeGreaterThan(0)
  expect(stored).toBeLessThan(FILLER)
  await expect(bob.page.getByTestId('transfer-state')).not.toHaveText(/complete$/)

  // the same bytes as the source, read back through the media route
  const sha256 = await bob.page.evaluate(async url => {
    const digest = await crypto.subtle.digest('SHA-256', await (await fetch(url)).arrayBuffer())
    return [...new Uint8Array(digest)].map(b => b.toString(16).padStart(2, '0')).join('')
  }, `/media/${cid}/b-picture.bmp`)
  expect(sha256).toBe(picture.sha256)
})

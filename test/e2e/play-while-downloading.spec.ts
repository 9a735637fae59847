import { AxeBuilder } from '@axe-core/playwright'
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

/** A WAV of 16-bit mono PCM noise, `seconds` long at 48 kHz: Chromium decodes it without any codec library. */
function makeWav (dir: string, name: string, seconds: number): TestFile {
  const rate = 48_000
  const data = rate * 2 * seconds
  const header = Buffer.alloc(44)
  header.write('RIFF', 0, 'ascii')
  header.writeUInt32LE(36 + data, 4)
  header.write('WAVEfmt ', 8, 'ascii')
  header.writeUInt32LE(16, 16)
  header.writeUInt16LE(1, 20) // PCM
  header.writeUInt16LE(1, 22) // mono
  header.writeUInt32LE(rate, 24)
  header.writeUInt32LE(rate * 2, 28)
  header.writeUInt16LE(2, 32)
  header.writeUInt16LE(16, 34)
  header.write('data', 36, 'ascii')
  header.writeUInt32LE(data, 40)
  const bytes = Buffer.concat([header, randomBytes(data)])
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

test('the media player shows an image, and seeks in audio, of a share while the share is still downloading', async ({ browser, relay, scratch }) => {
  const alice = new ChiralPage(await (await browser.newContext()).newPage())
  const bob = new ChiralPage(await (await browser.newContext()).newPage())
  await Promise.all([alice.open(relay.url), bob.open(relay.url)])
  const picture = makeBmp(scratch, 'b-picture.bmp', 1024, 1024) // 3 MB: 12 blocks after the 40 MB filler
  const cid = await shareSlowly(alice, [makeFile(scratch, 'a-filler.bin', FILLER), picture, makeWav(scratch, 'c-tone.wav', 40)])
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

  // audio: its length is known, and a seek to its middle (a Range request far ahead) has data to play
  const tone = bob.page.getByTestId('running-files').locator('li', { hasText: 'c-tone.wav' })
  await tone.getByTestId('open-file').click()
  const audio = tone.getByTestId('media-element')
  await expect.poll(async () => audio.evaluate(a => Math.round((a as HTMLAudioElement).duration)), { timeout: PLAY_TIMEOUT_MS }).toBe(40)
  const seeked = Date.now()
  await audio.evaluate(async a => {
    const media = a as HTMLAudioElement
    const ready = new Promise(resolve => { media.addEventListener('seeked', resolve, { once: true }) })
    media.currentTime = 25
    await ready
  })
  await expect.poll(async () => audio.evaluate(a => (a as HTMLAudioElement).readyState), { timeout: PLAY_TIMEOUT_MS }).toBeGreaterThanOrEqual(2)
  console.log(`audio seeked to 25 s with data in ${Date.now() - seeked} ms, while the download held ${await downloaded(bob)} bytes`)
  expect(await downloaded(bob)).toBeLessThan(FILLER)
  await expect(bob.page.getByTestId('transfer-state')).not.toHaveText(/complete$/)

  const results = await new AxeBuilder({ page: bob.page }).analyze()
  expect(results.violations.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)).toEqual([])

  // the same bytes as the source, read back through the media route
  const sha256 = await bob.page.evaluate(async url => {
    const digest = await crypto.subtle.digest('SHA-256', await (await fetch(url)).arrayBuffer())
    return [...new Uint8Array(digest)].map(b => b.toString(16).padStart(2, '0')).join('')
  }, `/media/${cid}/b-picture.bmp`)
  expect(sha256).toBe(picture.sha256)
})

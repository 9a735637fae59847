/**
 * `npm run bench:storage`: what each way of keeping 256 KiB blocks costs this
 * machine's Chromium, in CPU of the whole browser process tree per MB (the
 * figure that limits a transfer on 2 cores) and in MB/s, one layout after the
 * other in one page. docs/performance.md quotes it. `-- <MB>` sets the size (default 100).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startRelay } from '../test/e2e/relay-process.ts'
import { blankPage, launchBrowser } from './browsers.ts'
import { cpuMsBetween, snapshot } from './cpu.ts'

const MB = Number(process.argv[2] ?? 100)
const BLOCKS = Math.round(MB * 4)
const probes = readFileSync(new URL('./storage-costs/probes.js', import.meta.url), 'utf8')

/** In order: each read case reads what the write case before it wrote. */
const CASES: Array<[string, string]> = [
  ['SHA-256 (crypto.subtle), per block', 'sha256'],
  ['IndexedDB write, 1 block per transaction', 'idbWrite(1)'],
  ['IndexedDB read, 1 block per transaction', 'idbRead(1)'],
  ['IndexedDB write, 4 blocks per transaction', 'idbWrite(4)'],
  ['IndexedDB read, 4 blocks per transaction', 'idbRead(4)'],
  ['IndexedDB write, 8 blocks per transaction', 'idbWrite(8)'],
  ['IndexedDB write, 16 blocks per transaction', 'idbWrite(16)'],
  ['IndexedDB write, each block as a Blob, 8 per transaction', 'idbBlobWrite(8)'],
  ['IndexedDB read of those Blobs (arrayBuffer()), 4 per transaction', 'idbBlobRead(4)'],
  ['IndexedDB write, 5 values < 64 KiB per block, 8 blocks per tx', 'idbSplitWrite(8)'],
  ['OPFS, a file per block (worker, sync handle)', 'opfsFilePerBlock'],
  ['OPFS, blocks appended to one file (worker, sync handle)', 'opfsPackWrite'],
  ['OPFS, read back from that file and posted to the page', 'opfsPackRead']
]

process.chdir(new URL('..', import.meta.url).pathname)
const scratch = mkdtempSync(join(tmpdir(), 'chiral-storage-costs-'))
const relay = await startRelay()
const browser = await launchBrowser(scratch, 'storage')
try {
  const page = await blankPage(browser, relay.url)
  await page.addScriptTag({ content: probes })
  console.log(`${MB} MB as ${BLOCKS} blocks of 256 KiB, ${new Date().toISOString()}\n`)
  console.log(`${'layout'.padEnd(64)} ${'MB/s'.padStart(7)} ${'CPU ms/MB'.padStart(10)}`)
  for (const [label, probe] of CASES) {
    const before = snapshot([browser.pid])
    const started = performance.now()
    await page.evaluate(`storageProbes.${probe.includes('(') ? probe.replace('(', `(${BLOCKS}, `) : `${probe}(${BLOCKS})`}`)
    const seconds = (performance.now() - started) / 1000
    const [cpu] = cpuMsBetween(before, snapshot([browser.pid])) as [number]
    console.log(`${label.padEnd(64)} ${(MB / seconds).toFixed(1).padStart(7)} ${(cpu / MB).toFixed(1).padStart(10)}`)
  }
} finally {
  await browser.close()
  await relay.stop()
  rmSync(scratch, { recursive: true, force: true })
}

import { createHash, randomFillSync } from 'node:crypto'
import { closeSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { chromium } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumExecutable } from './browser.ts'
import { ChiralPage, sha256File, type TestFile } from './chiral-page.ts'
import { expect, test } from './fixtures.ts'
import { MemorySampler, processTree } from './process-memory.ts'

const MB = 1024 * 1024
/** The issue asks for a Save of at least 1 GB; CHIRAL_BIG_SAVE_MB changes it for measurements. */
const SIZE = Number(process.env.CHIRAL_BIG_SAVE_MB ?? 1024) * MB
/**
 * Growth of any one Chromium process (and of all together) while the file is
 * saved. A pile-up of the file in memory grows a process by about its size
 * (measured before the bounded reader: +1 GB); a streamed Save stays within
 * tens of MB, so this bound is generous and still fails on a pile-up.
 */
const MAX_GROWTH_MB = 300

/** Random bytes written in 4 MiB pieces, hashed on the way: no 1 GB buffer in the test either. */
function makeBigFile (dir: string, name: string, size: number): TestFile {
  const path = join(dir, name)
  const hash = createHash('sha256')
  const piece = Buffer.alloc(4 * MB)
  const fd = openSync(path, 'w')
  try {
    for (let written = 0; written < size;) {
      const n = Math.min(piece.byteLength, size - written)
      const view = piece.subarray(0, n)
      randomFillSync(view)
      writeSync(fd, view)
      hash.update(view)
      written += n
    }
  } finally {
    closeSync(fd)
  }
  return { path, name, size, sha256: hash.digest('hex') }
}

test('a Save of 1 GB streams: the bytes match and no Chromium process grows by the file', async ({ relay, scratch }) => {
  test.setTimeout(600_000)
  const file = makeBigFile(scratch, 'big.bin', SIZE)
  // a browser of our own, so its process tree (browser, renderers, service worker, network) is known by pid
  const before = new Set(processTree(process.pid).map(p => p.pid))
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS, headless: true })
  const pid = processTree(process.pid).find(p => !before.has(p.pid) && p.name.endsWith(':browser') && /chrom/i.test(p.name))?.pid
  expect(pid, 'the launched Chromium\'s browser process').toBeDefined()
  try {
    const context = await browser.newContext({ acceptDownloads: true })
    const alice = new ChiralPage(await context.newPage())
    await alice.open(relay.url)
    let t = Date.now()
    await alice.share(file)
    console.log(`shared ${SIZE / MB} MB in ${((Date.now() - t) / 1000).toFixed(1)} s`)
    await expect(alice.page.getByTestId('save-file')).toHaveAttribute('href', /^\/save\//)

    const sampler = new MemorySampler(pid as number)
    const started = Date.now()
    const [download] = await Promise.all([
      alice.page.waitForEvent('download', { timeout: 300_000 }),
      alice.page.getByTestId('save-file').click()
    ])
    const path = await download.path()
    sampler.stop()
    const seconds = (Date.now() - started) / 1000
    const report = sampler.report()
    const totalGrowth = report.reduce((sum, p) => sum + Math.max(0, p.growthMB), 0)
    console.log(`saved ${SIZE / MB} MB in ${seconds.toFixed(1)} s, ${sampler.samples} samples; growth of all processes ${totalGrowth} MB`)
    console.table(report)
    console.log(`all processes during the save (MB): ${sampler.timeline(12).join(' ')}`)
    expect(await sha256File(path)).toBe(file.sha256)
    await download.delete()
    for (const p of report) expect(p.growthMB, `${p.name} (pid ${p.pid})`).toBeLessThan(MAX_GROWTH_MB)
    expect(totalGrowth).toBeLessThan(MAX_GROWTH_MB)
  } finally {
    await browser.close()
  }
})

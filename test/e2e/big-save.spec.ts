import { createHash, randomFillSync } from 'node:crypto'
import { closeSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Page } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumExecutable } from './browser.ts'
import { ChiralPage, sha256File, type TestFile } from './chiral-page.ts'
import { expect, test } from './fixtures.ts'
import { MemorySampler, processTree } from './process-memory.ts'
import { readZip } from './zip-reader.ts'

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

test('a Save and a zip of 1 GB stream: the bytes match and no Chromium process grows by the file', async ({ relay, scratch }) => {
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

    // one file, then the whole share as a .zip: both stream through the service worker's one read path
    const saved = await measuredSave(alice.page, 'save-file', pid as number)
    expect(await sha256File(saved.path)).toBe(file.sha256)
    await saved.delete()
    const zipped = await measuredSave(alice.page, 'save-all', pid as number)
    expect(await readZip(zipped.path)).toEqual([{ name: expect.stringMatching(/\/big\.bin$/), size: SIZE, sha256: file.sha256 }])
    await zipped.delete()
    for (const { label, report, totalGrowth } of [saved, zipped]) {
      for (const p of report) expect(p.growthMB, `${label}: ${p.name} (pid ${p.pid})`).toBeLessThan(MAX_GROWTH_MB)
      expect(totalGrowth, label).toBeLessThan(MAX_GROWTH_MB)
    }
  } finally {
    await browser.close()
  }
})

/** Press a Save link (`testid`) and sample every process of the browser until the download is written. */
async function measuredSave (page: Page, testid: string, pid: number): Promise<{ label: string, path: string, report: ReturnType<MemorySampler['report']>, totalGrowth: number, delete(): Promise<void> }> {
  const sampler = new MemorySampler(pid)
  const started = Date.now()
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 300_000 }),
    page.getByTestId(testid).first().click()
  ])
  const path = await download.path()
  sampler.stop()
  const report = sampler.report()
  const totalGrowth = report.reduce((sum, p) => sum + Math.max(0, p.growthMB), 0)
  console.log(`${testid}: ${SIZE / MB} MB in ${((Date.now() - started) / 1000).toFixed(1)} s, ${sampler.samples} samples; growth of all processes ${totalGrowth} MB`)
  console.table(report)
  console.log(`all processes during ${testid} (MB): ${sampler.timeline(12).join(' ')}`)
  return { label: testid, path, report, totalGrowth, delete: async () => { await download.delete() } }
}

/**
 * `node bench/dial-trace.ts [--rounds N] [--debug PATTERN] [--no-build]`: where the
 * first block's time goes, and how often a first WebRTC dial hangs.
 *
 * One sender process (or --senders N, each its own process, all sharing the
 * same bytes, so the receiver dials N providers at once) shares a fresh 1 MB file per round; per round a fresh
 * receiver (a new context in a second Chromium process: new peer id, never
 * connected) downloads it through the UI (DHT + dial case), then the sender
 * shares another fresh 1 MB file and the same receiver downloads that too
 * (connected case). Every page log line is kept with the page's clock
 * (localStorage.debug = PATTERN); each round's lines are written to
 * bench/results/dial-trace/round-N.log, and rounds whose first block took longer
 * than --slow-ms are listed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { chromium, type BrowserContext, type Page } from '@playwright/test'
import { buildApp } from '../relay/build.ts'
import { CHROMIUM_ARGS, chromiumExecutable } from '../test/e2e/browser.ts'
import { ChiralPage, makeFile } from '../test/e2e/chiral-page.ts'
import { startRelay } from '../test/e2e/relay-process.ts'
import { launchBrowser } from './browsers.ts'
import { armFirstBlock, waitForDone, waitForFirstBlock, type FirstBlockMarks } from './first-block-probe.ts'
import { installMarks, readMarks } from './page-marks.ts'
import { stat } from './stats.ts'

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '10' },
    senders: { type: 'string', default: '1' },
    debug: { type: 'string', default: 'chiral:*,*webrtc*,*dial-queue*,*kad-dht:content-fetching*,*kad-dht:query*' },
    'slow-ms': { type: 'string', default: '1000' },
    'no-build': { type: 'boolean', default: false },
    'no-connected': { type: 'boolean', default: false },
    /** Each receiver its own Chromium process with an on-disk profile (IndexedDB on disk, as in the bench) instead of a context. */
    disk: { type: 'boolean', default: false },
    /** Serve <root>/dist instead of this checkout's (A/B against another build in the same minutes). */
    'site-root': { type: 'string' },
    /** Where the round logs and summary go (default bench/results/dial-trace). */
    out: { type: 'string' }
  }
})
const rounds = Number(values.rounds)
const slowMs = Number(values['slow-ms'])
const root = fileURLToPath(new URL('..', import.meta.url))
const outDir = values.out ?? join(root, 'bench', 'results', 'dial-trace')
process.chdir(root)
const say = (line: string): void => { console.error(`[trace ${new Date().toISOString().slice(11, 19)}] ${line}`) }

if (!values['no-build'] && values['site-root'] == null) await buildApp(root)
mkdirSync(outDir, { recursive: true })
const scratch = mkdtempSync(join(tmpdir(), 'chiral-trace-'))
const relay = await startRelay({ root: values['site-root'] })
const launch = async () => chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS, headless: true })
const senderCount = Math.max(1, Number(values.senders))
const receiverBrowser = await launch()
const senderBrowsers = await Promise.all(Array.from({ length: senderCount }, launch))

/** Page log lines on the page's clock, and Download pressed → first block per case. */
interface Round { dht: Case, connected?: Case }
interface Case { firstBlockMs: number, dialMs: number[], failedDialMs: number[], pressedToAdded: number, phases: Record<string, number>, doneMs: number, uiFirstBytesMs?: number }

async function openPeer (context: BrowserContext, lines: string[], who: string): Promise<{ page: Page, chiral: ChiralPage }> {
  const page = context.pages()[0] ?? await context.newPage()
  await page.addInitScript(pattern => {
    localStorage.setItem('debug', pattern)
    // every console line starts with the page's clock (the format string stays first, so %c still works)
    for (const level of ['debug', 'log', 'info', 'warn', 'error'] as const) {
      const original = console[level].bind(console)
      console[level] = (...args: unknown[]) => {
        const t = ((performance.timeOrigin + performance.now()) % 100_000).toFixed(1) // epoch clock: comparable across pages
        if (typeof args[0] === 'string') args[0] = `@${t} ${args[0]}`
        else args.unshift(`@${t}`)
        original(...args)
      }
    }
  }, values.debug!)
  page.on('console', message => { lines.push(`${who} ${message.text().replace(/%c/g, '')}`) })
  await installMarks(page)
  const chiral = new ChiralPage(page)
  await chiral.open(relay.url)
  return { page, chiral }
}

async function downloadCase (receiver: { page: Page, chiral: ChiralPage }, cid: string, lines: string[], label: string): Promise<Case> {
  await armFirstBlock(receiver.page, cid)
  lines.push(`--- ${label}: download ${cid}`)
  const from = lines.length
  await receiver.chiral.startDownload(cid)
  const first = await waitForFirstBlock(receiver.page, cid, 30_000)
  const done = await waitForDone(receiver.page, cid, 60_000)
  const marks = await readMarks(receiver.page)
  const pressed = marks.downloadPressed!
  lines.push(`--- ${label}: pressed @${pressed.toFixed(1)} first block @${first.firstBytes!.toFixed(1)}`)
  const rel = (m: FirstBlockMarks): Record<string, number> => Object.fromEntries(Object.entries(m.phases).map(([k, v]) => [k, Math.round(v - pressed)]))
  // chiral:network:providers logs "block stream to <peer> open after <ms> ms" per provider dialed
  // and "could not reach provider <peer> after <ms> ms: <why>" (a dial aborted because the download ended counts here too)
  const msAfterPeer = (line: string): number => Number(/\b(?:12D3Koo|Qm)\w+\s+(\d+)\b/.exec(line)?.[1] ?? NaN)
  const mine = lines.slice(from)
  const dialMs = mine.filter(l => l.includes('block stream to')).map(msAfterPeer)
  const failedDialMs = mine.filter(l => l.includes('could not reach provider')).map(msAfterPeer)
  return {
    dialMs,
    failedDialMs,
    firstBlockMs: first.firstBytes! - pressed,
    pressedToAdded: first.added! - pressed,
    phases: rel(done),
    doneMs: done.done! - pressed,
    uiFirstBytesMs: label !== 'dht' || marks.firstBytes == null ? undefined : marks.firstBytes - pressed
  }
}

const results: Round[] = []
const senderLines: string[] = []
try {
  const senders = []
  for (const [i, browser] of senderBrowsers.entries()) senders.push(await openPeer(await browser.newContext({ acceptDownloads: true }), senderLines, `S${i + 1}`))
  const sender = senders[0]!
  for (let round = 1; round <= rounds; round++) {
    const lines: string[] = []
    senderLines.length = 0
    const disk = values.disk ? await launchBrowser(scratch, `receiver-${round}`) : undefined
    const receiver = await openPeer(disk?.context ?? await receiverBrowser.newContext({ acceptDownloads: true }), lines, 'R')
    try {
      const fileA = makeFile(scratch, `a-${round}.bin`, 2 ** 20)
      const cids = []
      for (const s of senders) cids.push(await s.chiral.share(fileA))
      const cidA = cids[0]!
      const dht = await downloadCase(receiver, cidA, lines, 'dht')
      let connected: Case | undefined
      if (!values['no-connected']) {
        const fileB = makeFile(scratch, `b-${round}.bin`, 2 ** 20)
        const cidB = await sender.chiral.share(fileB)
        connected = await downloadCase(receiver, cidB, lines, 'connected')
      }
      results.push({ dht, connected })
      say(`round ${round}: dial ${dht.dialMs.join('/')} ms${dht.failedDialMs.length > 0 ? ` (unfinished: ${dht.failedDialMs.join('/')} ms)` : ''}, dht ${dht.firstBlockMs.toFixed(0)} ms (phases ${JSON.stringify(dht.phases)}), connected ${connected?.firstBlockMs.toFixed(0) ?? '-'} ms (phases ${JSON.stringify(connected?.phases ?? {})})`)
    } catch (err) {
      say(`round ${round} failed: ${(err as Error).message}`)
    } finally {
      writeFileSync(join(outDir, `round-${round}.log`), [...lines, '--- sender', ...senderLines].join('\n'))
      if (disk != null) await disk.close()
      else await receiver.page.context().close()
    }
  }
} finally {
  await Promise.all([...senderBrowsers, receiverBrowser].map(async b => b.close()))
  await relay.stop()
  rmSync(scratch, { recursive: true, force: true })
}

const show = (name: string, values: number[]): void => {
  const s = stat(values)
  if (s != null) say(`${name}: median ${s.median.toFixed(0)} ms, min ${s.min.toFixed(0)}, max ${s.max.toFixed(0)} (n=${s.n})`)
}
show('dht+dial first block', results.map(r => r.dht.firstBlockMs))
show('dht+dial first block (UI mark)', results.flatMap(r => r.dht.uiFirstBytesMs ?? []))
show('connected first block', results.flatMap(r => r.connected?.firstBlockMs ?? []))
show('pressed → added', results.map(r => r.dht.pressedToAdded))
show('provider dial (stream open)', results.flatMap(r => r.dht.dialMs))
show('provider dial not finished (failed, or aborted when the download ended)', results.flatMap(r => r.dht.failedDialMs))
const slowDials = results.map((r, i) => ({ round: i + 1, ms: Math.max(...r.dht.dialMs, ...r.dht.failedDialMs) })).filter(r => r.ms > 2_000)
say(`dials over 2 s: ${slowDials.length}/${results.length} ${JSON.stringify(slowDials)}`)
const slow = results.map((r, i) => ({ round: i + 1, ms: r.dht.firstBlockMs })).filter(r => r.ms > slowMs)
say(`rounds with a dht+dial first block over ${slowMs} ms: ${slow.length}/${results.length} ${JSON.stringify(slow)}`)
writeFileSync(join(outDir, 'summary.json'), JSON.stringify(results, null, 2))

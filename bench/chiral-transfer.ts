import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { ChiralPage, type TestFile } from '../test/e2e/chiral-page.ts'
import { childPids, cpuMsBetween, otherCpuPct, snapshot, treeCpuMs } from './cpu.ts'
import { armFirstBlock, readFirstBlock } from './first-block-probe.ts'
import { HeapSampler, type HeapPeaks } from './heap-sampler.ts'
import { readMarks, waitForMark } from './page-marks.ts'
import { CpuProfile } from './profile.ts'
import { mainThreadBreakdown, PageTrace } from './trace.ts'

export interface ImportResult {
  mbps: number
  seconds: number
  /** setInputFiles to share-cid shown, measured from Node (includes the DHT announce). */
  wallToCidSeconds: number
}

export interface TransferResult {
  mbps: number
  seconds: number
  /** Download pressed → first verified data block, from the peer's progress event (exact; page clock). */
  firstBlockMs: number
  /** The same, from the UI's transfer-progress aria-valuenow (as measured before; can lag by a render). */
  firstBlockUiMs: number
  cpuMs: { sender: number, receiver: number }
  cpuMsPerMB: number
  senderPeakHeapMB: number
  receiverPeakHeapMB: number
  /** JS heap + ArrayBuffer backing stores (see heap-sampler.ts). */
  senderPeakHeapWithBuffersMB: number | null
  receiverPeakHeapWithBuffersMB: number | null
  verified: boolean
  direct: boolean
  blocksFetched?: number
  /** Everything else's CPU during the transfer, % of all cores. */
  otherCpuPct: number
  /** The relay's CPU during the transfer: near zero when blocks go direct. */
  relayCpuMs?: number
}

/** Share through the UI (file-input → share-cid); import time measured in the page from 'change' to 'Announcing…'. */
export async function shareFile (sender: ChiralPage, file: TestFile): Promise<{ cid: string, import: ImportResult }> {
  const t0 = performance.now()
  const cid = await sender.share(file)
  const wallToCidSeconds = (performance.now() - t0) / 1000
  const marks = await readMarks(sender.page)
  if (marks.fileChosen == null || marks.imported == null) throw new Error(`import marks missing: ${JSON.stringify(marks)}`)
  const seconds = (marks.imported - marks.fileChosen) / 1000
  return { cid, import: { mbps: file.size / 2 ** 20 / seconds, seconds, wallToCidSeconds } }
}

export interface TransferOptions {
  sender: ChiralPage
  receiver: ChiralPage
  pids: [number, number]
  file: TestFile
  cid: string
  timeoutMs: number
  /** Save the download and compare its SHA-256 with the source. */
  verify: boolean
  /** Record CPU profiles of both pages during the transfer. */
  profile: boolean
  /** Record a Chrome trace of both pages; print main-thread time by event and write {sender,receiver}.trace.json to resultsDir. */
  trace?: boolean
  resultsDir?: string
}

/**
 * Press Download on the receiver (fresh pair: no connection yet, so this includes
 * finding the provider and dialing it) and wait for 'complete'.
 */
export async function downloadFile (opts: TransferOptions): Promise<TransferResult & { profiles?: { sender: CpuProfile, receiver: CpuProfile } }> {
  const { sender, receiver, file } = opts
  const heaps = await Promise.all([HeapSampler.start(sender.page), HeapSampler.start(receiver.page)])
  const profiles = opts.profile ? await Promise.all([CpuProfile.start(sender.page), CpuProfile.start(receiver.page)]) : undefined
  const traces = opts.trace === true ? await Promise.all([PageTrace.start(sender.page), PageTrace.start(receiver.page)]) : undefined
  const relayPid = childPids('relay/start.ts')[0]
  const relayBefore = relayPid != null ? treeCpuMs(relayPid) : undefined
  const before = snapshot(opts.pids)
  await armFirstBlock(receiver.page, opts.cid)
  await receiver.startDownload(opts.cid)
  let done: number
  try {
    done = await waitForMark(receiver.page, 'complete', opts.timeoutMs)
  } catch (err) {
    const state = await receiver.page.getByTestId('transfer-state').textContent().catch(() => '?')
    const error = await receiver.page.getByTestId('error').textContent({ timeout: 100 }).catch(() => '')
    throw new Error(`download did not complete (state: ${state}; error: ${error}): ${(err as Error).message}`)
  }
  const after = snapshot(opts.pids)
  const relayCpuMs = relayPid != null && relayBefore != null ? treeCpuMs(relayPid) - relayBefore : undefined
  const [senderHeap, receiverHeap] = await Promise.all(heaps.map(async h => h.stop())) as [HeapPeaks, HeapPeaks]
  let stoppedProfiles: { sender: CpuProfile, receiver: CpuProfile } | undefined
  if (traces != null) {
    const mb = file.size / 2 ** 20
    for (const [who, trace] of [['sender', traces[0]], ['receiver', traces[1]]] as const) {
      const events = await trace.stop()
      if (opts.resultsDir != null) { mkdirSync(opts.resultsDir, { recursive: true }); writeFileSync(join(opts.resultsDir, `${who}.trace.json`), JSON.stringify(events)) }
      const rows = mainThreadBreakdown(events, mb).slice(0, 25)
      console.log(`[trace] ${who} main thread, ms/MB:\n${rows.map(([name, ms]) => `  ${ms.toFixed(2).padStart(7)}  ${name}`).join('\n')}`)
    }
  }
  if (profiles != null) {
    await Promise.all(profiles.map(async p => p.stop()))
    stoppedProfiles = { sender: profiles[0], receiver: profiles[1] }
  }
  const [cpuSender, cpuReceiver] = cpuMsBetween(before, after) as [number, number]
  const marks = await readMarks(receiver.page)
  const probe = await readFirstBlock(receiver.page, opts.cid)
  const pressed = marks.downloadPressed
  if (pressed == null || marks.firstBytes == null) throw new Error(`download marks missing: ${JSON.stringify(marks)}`)
  const seconds = (done - pressed) / 1000
  const mb = file.size / 2 ** 20

  const last = await receiver.page.evaluate(() => globalThis.chiral?.lastDownload)
  if (last != null && last.totalBytes !== file.size) throw new Error(`downloaded ${last.totalBytes} bytes, expected ${file.size}`)
  let verified = false
  if (opts.verify) {
    const saved = await receiver.save()
    if (saved.sha256 !== file.sha256) throw new Error(`the saved download differs from the source (sha256 ${saved.sha256} ≠ ${file.sha256})`)
    verified = true
  }
  const connections = await receiver.connectionsTo(await sender.peerId())
  return {
    mbps: mb / seconds,
    seconds,
    firstBlockMs: (probe?.firstBytes ?? marks.firstBytes) - pressed,
    firstBlockUiMs: marks.firstBytes - pressed,
    cpuMs: { sender: cpuSender, receiver: cpuReceiver },
    cpuMsPerMB: (cpuSender + cpuReceiver) / mb,
    senderPeakHeapMB: senderHeap.heapMB,
    receiverPeakHeapMB: receiverHeap.heapMB,
    senderPeakHeapWithBuffersMB: senderHeap.heapWithBuffersMB,
    receiverPeakHeapWithBuffersMB: receiverHeap.heapWithBuffersMB,
    verified,
    direct: connections.some(c => c.direct && !c.limited && c.status === 'open'),
    blocksFetched: last?.blocksFetched,
    otherCpuPct: otherCpuPct(before, after),
    relayCpuMs,
    profiles: stoppedProfiles
  }
}

/** Open the app in a page and time page load (navigation start) to 'ready', on the page's own clock. */
export async function openApp (page: Page, url: string, timeoutMs: number): Promise<{ chiral: ChiralPage, readyMs: number }> {
  const chiral = new ChiralPage(page)
  await page.goto(url)
  const readyMs = await waitForMark(page, 'ready', timeoutMs)
  return { chiral, readyMs }
}

import type { Page } from '@playwright/test'
import type { TestFile } from '../test/e2e/chiral-page.ts'
import type { BenchBrowser } from './browsers.ts'
import { cpuMsBetween, otherCpuPct, snapshot } from './cpu.ts'
import { startTracker } from './local-tracker.ts'
import { startSampler, stopSampler, windowSeries, type ByteSeries } from './throughput-samples.ts'
import { assertLocalOnly, CLIENT_OPTIONS, readGuard, webTorrentFiles, webTorrentPage } from './webtorrent-page.ts'

/** Creating the torrent hashes the whole file in the seeder page first (SHA-1 per piece). */
const SEED_TIMEOUT_MS = 180_000
const ANNOUNCE_TIMEOUT_MS = 30_000

export interface WebTorrentResult {
  mbps: number
  seconds: number
  /** client.add → first piece verified (SHA-1) on the leecher. */
  firstPieceMs: number
  /** client.add → first block of bytes received (the 'download' event). */
  firstByteMs: number
  cpuMs: { sender: number, receiver: number }
  cpuMsPerMB: number
  /** WebTorrent's default for this size (create-torrent: ~1/1024 of the file, power of two, ≥ 16 KiB). */
  pieceLength: number
  pieces: number
  /** seed(file) → torrent ready to serve (hashing into the in-memory store), not timed in the row. */
  seedSeconds: number
  verified: boolean
  /** RTCPeerConnections the pages built (seeder/leecher), all checked to have no ICE servers. */
  peerConnections: { sender: number, receiver: number }
  otherCpuPct: number
  /** Verified bytes over the timed window, for the chart. */
  samples: ByteSeries
}

interface LeecherMarks { addedAt: number, firstByteAt?: number, firstPieceAt?: number, doneAt?: number, error?: string }

interface WtTorrent {
  infoHash: string
  magnetURI: string
  pieceLength: number
  length: number
  pieces: unknown[]
  files: Array<{ arrayBuffer(): Promise<ArrayBuffer> }>
  on(event: string, listener: (arg: never) => void): void
  once(event: string, listener: (arg: never) => void): void
}
interface WtClient {
  seed(file: File, opts: object, onseed: (torrent: WtTorrent) => void): WtTorrent
  add(magnet: string, opts: object): WtTorrent
  on(event: 'error', listener: (err: unknown) => void): void
}
interface WtPage {
  WebTorrent: new (opts: object) => WtClient
  MemoryStore: unknown
  verifiedBytes: number
  torrent?: WtTorrent
  marks?: LeecherMarks
  done?: Promise<void>
}

/**
 * The same file over WebTorrent 3 between the same two browser processes: the
 * sender seeds it from an <input type=file> (like the app gets it), the receiver
 * adds its magnet link; both announce only to a tracker in this process. In-memory
 * chunk stores on both sides. SHA-256 of the received file must equal the source's.
 */
export async function measureWebTorrent (opts: { sender: BenchBrowser, receiver: BenchBrowser, pids: [number, number], file: TestFile, timeoutMs: number }): Promise<WebTorrentResult> {
  const tracker = await startTracker(webTorrentFiles())
  const pages: Page[] = []
  try {
    const seeder = await webTorrentPage(opts.sender, tracker.origin)
    pages.push(seeder)
    const leecher = await webTorrentPage(opts.receiver, tracker.origin)
    pages.push(leecher)
    const announce = [tracker.url]

    await seeder.locator('#file').setInputFiles(opts.file.path)
    const seeded = await seeder.evaluate(async ({ options, announce, timeout }) => {
      const state = (globalThis as unknown as { benchWt: WtPage }).benchWt
      const file = (document.querySelector('#file') as HTMLInputElement).files![0]!
      const client = new state.WebTorrent(options)
      const t0 = performance.now()
      return new Promise<{ magnetURI: string, infoHash: string, pieceLength: number, pieces: number, seedMs: number }>((resolve, reject) => {
        setTimeout(() => { reject(new Error(`seeding did not finish in ${timeout} ms`)) }, timeout)
        client.on('error', err => { reject(new Error(`seeder: ${String(err)}`)) })
        client.seed(file, { announce, store: state.MemoryStore, storeCacheSlots: 0 }, torrent => {
          resolve({ magnetURI: torrent.magnetURI, infoHash: torrent.infoHash, pieceLength: torrent.pieceLength, pieces: torrent.pieces.length, seedMs: performance.now() - t0 })
        })
      })
    }, { options: CLIENT_OPTIONS, announce, timeout: SEED_TIMEOUT_MS })
    // the leecher's offers only reach peers already in the swarm
    await tracker.started(seeded.infoHash, ANNOUNCE_TIMEOUT_MS)

    await startSampler(leecher, 'webtorrent')
    const before = snapshot(opts.pids)
    await leecher.evaluate(({ options, announce, magnet }) => {
      const state = (globalThis as unknown as { benchWt: WtPage }).benchWt
      const client = new state.WebTorrent(options)
      const now = (): number => performance.timeOrigin + performance.now()
      const marks: LeecherMarks = { addedAt: now() }
      state.marks = marks
      const torrent = client.add(magnet, { announce, store: state.MemoryStore, storeCacheSlots: 0 })
      state.torrent = torrent
      state.done = new Promise<void>((resolve, reject) => {
        client.on('error', err => { marks.error = String(err); reject(new Error(`leecher: ${String(err)}`)) })
        torrent.once('done', () => { marks.doneAt = now(); resolve() })
      })
      state.done.catch(() => {})
      torrent.on('download', () => { marks.firstByteAt ??= now() })
      torrent.on('verified', (index: number) => {
        marks.firstPieceAt ??= now()
        const last = index === torrent.pieces.length - 1
        state.verifiedBytes += last ? torrent.length - index * torrent.pieceLength : torrent.pieceLength
      })
    }, { options: CLIENT_OPTIONS, announce, magnet: seeded.magnetURI })
    await leecher.evaluate(async timeout => {
      await Promise.race([(globalThis as unknown as { benchWt: WtPage }).benchWt.done, new Promise((_resolve, reject) => setTimeout(() => { reject(new Error(`WebTorrent download did not finish in ${timeout} ms`)) }, timeout))])
    }, opts.timeoutMs)
    const after = snapshot(opts.pids)
    const samples = await stopSampler(leecher)
    const marks = await leecher.evaluate(() => (globalThis as unknown as { benchWt: WtPage }).benchWt.marks!)
    if (marks.doneAt == null || marks.firstPieceAt == null || marks.firstByteAt == null) throw new Error(`WebTorrent marks missing: ${JSON.stringify(marks)}`)

    // outside the timed window: the received bytes against the source
    const sha256 = await leecher.evaluate(async () => {
      const bytes = await (globalThis as unknown as { benchWt: WtPage }).benchWt.torrent!.files[0]!.arrayBuffer()
      return [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map(b => b.toString(16).padStart(2, '0')).join('')
    })
    if (sha256 !== opts.file.sha256) throw new Error(`WebTorrent's received file differs from the source (sha256 ${sha256} ≠ ${opts.file.sha256})`)
    const [seederGuard, leecherGuard] = await Promise.all([readGuard(seeder), readGuard(leecher)])
    assertLocalOnly('seeder', seederGuard, tracker.url)
    assertLocalOnly('leecher', leecherGuard, tracker.url)

    const [sender, receiver] = cpuMsBetween(before, after) as [number, number]
    const mb = opts.file.size / 2 ** 20
    const seconds = (marks.doneAt - marks.addedAt) / 1000
    return {
      mbps: mb / seconds,
      seconds,
      firstPieceMs: marks.firstPieceAt - marks.addedAt,
      firstByteMs: marks.firstByteAt - marks.addedAt,
      cpuMs: { sender, receiver },
      cpuMsPerMB: (sender + receiver) / mb,
      pieceLength: seeded.pieceLength,
      pieces: seeded.pieces,
      seedSeconds: seeded.seedMs / 1000,
      verified: true,
      peerConnections: { sender: seederGuard.iceServers.length, receiver: leecherGuard.iceServers.length },
      otherCpuPct: otherCpuPct(before, after),
      samples: windowSeries(samples, marks.addedAt, marks.doneAt, opts.file.size)
    }
  } finally {
    // pages first: their WebSockets hold the tracker's HTTP server open
    for (const page of pages) await page.close().catch(() => {})
    await tracker.close()
  }
}

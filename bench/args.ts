import { parseArgs } from 'node:util'

export interface BenchArgs {
  runs: number
  mb: number
  large: boolean
  /** Size of the --large set (1024 = 1 GB; smaller only to try the path quickly). */
  largeMB: number
  build: boolean
  warmupMB: number
  profile: boolean
  /** An extra run with a Chrome trace of both pages: main-thread time by event (what "(program)" hides). */
  trace: boolean
  /** Run the swarm rows (one vs two capped sharers, failover). */
  swarm: boolean
  swarmMB: number
  /** Move the same file with WebTorrent 3 in every run (main size only). */
  webtorrent: boolean
  /** Also write the throughput chart here (e.g. docs/bench-throughput.svg), besides bench/results/. */
  chart?: string
}

export const USAGE = `npm run bench [-- flags]

Measures Chiral against the ceilings of this machine (raw RTCDataChannel, IndexedDB alone)
and WebTorrent 3, between two Chromium processes and a real relay; prints a table and
writes bench/results/latest.json plus a timestamped copy, and bench/results/throughput.svg.

  --runs N      repetitions of every measurement (default 3, at least 1)
  --mb N        file size in MB (2^20 bytes) for the transfer and import (default 100)
  --large       also run the whole set with a 1 GB (1024 MB) file (heap goal)
  --large-mb N  size of the --large set (default 1024)
  --warmup N    MB moved over the raw channel before timing it (default 10)
  --profile     CPU-profile both pages during the last transfer; print top self times
  --trace       one more, unmeasured transfer with a Chrome trace of both pages; prints main-thread
                self time by event (IndexedDB, layout, paint, message delivery...) and writes
                bench/results/{sender,receiver}.trace.json
  --swarm-mb N  file size for the swarm rows: one vs two sharers, failover (default 32)
  --no-swarm    skip the swarm rows (three more Chromium processes per run)
  --no-webtorrent  skip the WebTorrent row (WebTorrent 3, local tracker, same two processes)
  --chart PATH  also write the throughput chart (SVG) to PATH, e.g. docs/bench-throughput.svg
  --no-build    use dist/ as it is instead of running vite build first
  -h, --help    this text

Nothing else heavy should run meanwhile: the machine's other CPU use during each
measurement is reported as noise.`

export function parseBenchArgs (argv: string[]): BenchArgs | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string', default: '3' },
      mb: { type: 'string', default: '100' },
      large: { type: 'boolean', default: false },
      'large-mb': { type: 'string', default: '1024' },
      warmup: { type: 'string', default: '10' },
      profile: { type: 'boolean', default: false },
      trace: { type: 'boolean', default: false },
      'swarm-mb': { type: 'string', default: '32' },
      'no-swarm': { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      'no-webtorrent': { type: 'boolean', default: false },
      chart: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false }
    },
    strict: true
  })
  if (values.help) return 'help'
  const positive = (name: string, text: string, integer: boolean): number => {
    const n = Number(text)
    if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new Error(`--${name} needs a positive ${integer ? 'integer' : 'number'}, got "${text}"`)
    return n
  }
  return {
    runs: positive('runs', values.runs, true),
    mb: positive('mb', values.mb, false),
    large: values.large,
    largeMB: positive('large-mb', values['large-mb'], false),
    build: !values['no-build'],
    warmupMB: positive('warmup', values.warmup, false),
    profile: values.profile,
    trace: values.trace,
    swarm: !values['no-swarm'],
    swarmMB: positive('swarm-mb', values['swarm-mb'], false),
    webtorrent: !values['no-webtorrent'],
    chart: values.chart
  }
}

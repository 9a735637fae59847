import { round, stat, type Stat } from './stats.ts'
import type { RunResult } from './scenario.ts'

/** The bar for the transfer: this share of the raw channel's speed... */
export const GOAL_TRANSFER_RATIO = 0.85
/** ...at no more than this many times its CPU per MB. */
export const GOAL_CPU_RATIO = 1.25

/** Per-run samples of the decomposition (bench/decompose.ts), merged into the size's `stats`. */
export function decomposeSeries (runs: RunResult[]): Record<string, Array<number | null | undefined>> {
  return {
    'transfer.cpuRatio': runs.map(r => r.transfer.cpuMsPerMB / r.raw.cpuMsPerMB),
    'layers.storagePath.mbps': runs.map(r => r.layers?.storagePath.mbps),
    'layers.storagePath.cpuMsPerMB': runs.map(r => r.layers?.storagePath.cpuMsPerMB),
    'layers.libp2pStream.mbps': runs.map(r => r.layers?.libp2pStream.mbps),
    'layers.libp2pStream.cpuMsPerMB': runs.map(r => r.layers?.libp2pStream.cpuMsPerMB),
    'layers.blockChannel.mbps': runs.map(r => r.layers?.blockChannel.mbps),
    'layers.blockChannel.cpuMsPerMB': runs.map(r => r.layers?.blockChannel.cpuMsPerMB)
  }
}

export interface LayersSummary {
  /** (b) raw channel + hashing + IndexedDB reads and writes. */
  storagePath: { mbps: number | null, cpuMsPerMB: number | null }
  /** (c) the libp2p stream with block-sized frames, nothing stored (what Chiral's blocks travel on). */
  libp2pStream: { mbps: number | null, cpuMsPerMB: number | null }
  /** (c') a negotiated channel on the same peer connection, a header and a block message per frame, nothing stored (a block channel of our own: tried in 6e465f7, no gain in the transfer). */
  blockChannel: { mbps: number | null, cpuMsPerMB: number | null }
}

export function summarizeLayers (runs: RunResult[]): LayersSummary | null {
  if (!runs.some(r => r.layers != null)) return null
  const series = decomposeSeries(runs)
  const m = (key: string): number | null => round(stat(series[key] ?? [])?.median, 1)
  return {
    storagePath: { mbps: m('layers.storagePath.mbps'), cpuMsPerMB: m('layers.storagePath.cpuMsPerMB') },
    libp2pStream: { mbps: m('layers.libp2pStream.mbps'), cpuMsPerMB: m('layers.libp2pStream.cpuMsPerMB') },
    blockChannel: { mbps: m('layers.blockChannel.mbps'), cpuMsPerMB: m('layers.blockChannel.cpuMsPerMB') }
  }
}

interface Row { metric: string, stat: Stat | null, unit: string, goal: string, status: string }

export function decomposeRows (tag: string, st: (key: string) => Stat | null): Row[] {
  if (st('layers.storagePath.mbps') == null) return []
  return [
    { metric: `${tag} layers: raw channel + storage path`, stat: st('layers.storagePath.mbps'), unit: 'MB/s', goal: '', status: '' },
    { metric: `${tag} layers: raw channel + storage path, CPU`, stat: st('layers.storagePath.cpuMsPerMB'), unit: 'ms/MB', goal: '', status: '' },
    { metric: `${tag} layers: libp2p stream, no storage`, stat: st('layers.libp2pStream.mbps'), unit: 'MB/s', goal: '', status: '' },
    { metric: `${tag} layers: libp2p stream, no storage, CPU`, stat: st('layers.libp2pStream.cpuMsPerMB'), unit: 'ms/MB', goal: '', status: '' },
    { metric: `${tag} layers: block channel, no storage`, stat: st('layers.blockChannel.mbps'), unit: 'MB/s', goal: '', status: '' },
    { metric: `${tag} layers: block channel, no storage, CPU`, stat: st('layers.blockChannel.cpuMsPerMB'), unit: 'ms/MB', goal: '', status: '' }
  ]
}

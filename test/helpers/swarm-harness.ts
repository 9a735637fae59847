import { streamPair } from '@libp2p/utils'
import { CID } from 'multiformats/cid'
import { importShare } from '../../app/core/content/import-share.ts'
import { createBlockHandler } from '../../app/core/serve/block-server.ts'
import { MemoryStore } from '../../app/core/storage/memory-store.ts'
import { Swarm, type SwarmTimeouts } from '../../app/core/transfer/swarm.ts'
import { runTransfer, type RunProgress, type RunResult, type TransferTimeouts } from '../../app/core/transfer/transfer-run.ts'
import { chunked, patternBytes } from './bytes.ts'
import type { RunFilesHooks } from '../../app/core/transfer/run-files.ts'
import type { PeerStream } from '../../app/core/transfer/peer-stream.ts'
import type { BlockStore } from '../../app/core/storage/block-store.ts'
import type { Connection, Stream } from '@libp2p/interface'

/**
 * In-memory swarms for unit tests: providers are real block handlers at the
 * far end of in-memory stream pairs, the downloader is the real Swarm and
 * transfer run; only libp2p and the DHT are left out.
 */

export async function seededStore (bytes: Uint8Array = patternBytes(262_144 * 20 + 123, 9)) {
  const store = new MemoryStore()
  const share = await importShare([{ name: 'data.bin', content: chunked(bytes) }], store)
  return { store, share, root: CID.parse(share.cid), bytes }
}

/** Every block a MemoryStore holds, in insertion order. */
export function blocksOf (store: MemoryStore): Array<[string, Uint8Array]> {
  return [...(store as unknown as { blocks: Map<string, Uint8Array> }).blocks.entries()]
}

export interface Provider {
  peer: string
  /** CIDs this provider sent, in order. */
  served: string[]
  /** The client end of the newest stream opened to it. */
  stream?: Stream
  open(): Promise<PeerStream>
}

/** A provider whose answers come from `store` (a lying or stalling store makes a hostile provider). */
export function provider (peer: string, store: Pick<BlockStore, 'get'>): Provider {
  const p: Provider = {
    peer,
    served: [],
    async open () {
      const [outbound, inbound] = await streamPair()
      const handler = createBlockHandler({ store, onServed: cid => p.served.push(cid.toString()) })
      void handler(inbound, { remotePeer: { toString: () => 'client' } } as unknown as Connection)
      p.stream = outbound
      return { peer, stream: outbound }
    }
  }
  return p
}

/** A search that finds `rounds[i]` on its i-th call (nobody once the list runs out). */
export function searches (...rounds: Provider[][]) {
  let calls = 0
  return {
    get calls () { return calls },
    findPeers: async function * (_signal: AbortSignal, reuse: (peer: string) => boolean): AsyncGenerator<PeerStream> {
      const round = rounds[calls++] ?? []
      for (const p of round) {
        if (!reuse(p.peer)) yield await p.open()
      }
    }
  }
}

export interface RunOptions {
  store?: BlockStore
  swarm?: Swarm
  maxWindow?: number
  timeouts?: Partial<TransferTimeouts & SwarmTimeouts>
  maxWants?: number
  findPeers: (signal: AbortSignal, reuse: (peer: string) => boolean) => AsyncIterable<PeerStream>
  signal?: AbortSignal
  onProgress?(progress: RunProgress): void
  onRootStored?(): void
  files?: RunFilesHooks
}

export async function download (root: CID, options: RunOptions): Promise<RunResult & { store: BlockStore }> {
  const store = options.store ?? new MemoryStore()
  const swarm = options.swarm ?? new Swarm({ store, maxWindow: options.maxWindow ?? 8, timeouts: options.timeouts })
  try {
    const result = await runTransfer({
      root,
      store,
      swarm,
      signal: options.signal ?? new AbortController().signal,
      timeouts: options.timeouts,
      maxWants: options.maxWants,
      findPeers: options.findPeers,
      onProgress: options.onProgress,
      onRootStored: options.onRootStored,
      files: options.files
    })
    return { ...result, store }
  } finally {
    if (options.swarm == null) swarm.stop()
  }
}

/** A store whose reads wait for `release()` from the n-th read on (a sharer that stalls mid-transfer). */
export function stallingStore (store: Pick<BlockStore, 'get'>, afterReads: number) {
  let reads = 0
  let release: () => void = () => {}
  const gate = new Promise<void>(resolve => { release = resolve })
  let stalled: () => void = () => {}
  const stalledOnce = new Promise<void>(resolve => { stalled = resolve })
  return {
    release,
    stalled: stalledOnce,
    get reads () { return reads },
    get: async (cid: CID) => {
      if (++reads > afterReads) {
        stalled()
        await gate
      }
      return store.get(cid)
    }
  }
}

/** Simulated peer latency: a sharer taking `ms` to answer (a slow peer on a real network), not a wait in the test. */
export async function peerLatency (ms: number): Promise<void> {
  await new Promise(resolve => setTimeout(resolve, ms))
}

/** `store` as a sharer that answers each block `ms` late (peerLatency). */
export function delayedStore (store: Pick<BlockStore, 'get'>, ms: number): Pick<BlockStore, 'get'> {
  return { get: async cid => { await peerLatency(ms); return store.get(cid) } }
}

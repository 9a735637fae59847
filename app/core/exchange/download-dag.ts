import { logger } from '@libp2p/logger'
import * as raw from 'multiformats/codecs/raw'
import { verifyBlock } from '../content/verify-block.ts'
import { AbortError, NoProvidersError, ProviderGoneError } from '../errors.ts'
import { BlockSession } from './block-session.ts'
import { DagTally, type DagItem as Item } from './dag-tally.ts'
import { ProgressMeter } from './progress-meter.ts'
import { Wakeup } from '../util/wakeup.ts'
import type { BlockStore } from '../storage/block-store.ts'
import type { DownloadProgress } from '../types.ts'
import type { PeerStream } from './peer-stream.ts'
import type { CID } from 'multiformats/cid'

const log = logger('chiral:exchange:download')

/** Bad blocks a peer may send before we stop talking to it. */
const MAX_BAD_BLOCKS_PER_PEER = 3
/** How often we look for providers again once every known one is gone. */
const MAX_REDISCOVERIES = 1
const PROGRESS_INTERVAL_MS = 100
/** New DAG items checked against the store per step, concurrently. */
const LOCAL_CHECK_BATCH = 256

export type { PeerStream }

export interface DownloadDagInit {
  root: CID
  store: BlockStore
  /** Finds providers and opens a block stream to each; called again if all of them are lost. */
  connect(signal: AbortSignal): AsyncIterable<PeerStream>
  windowBlocks: number
  signal?: AbortSignal
  onProgress?(progress: DownloadProgress): void
  /** A peer misbehaved or failed; the download goes on with others. */
  onPeerError?(peer: string, err: Error): void
  /** A peer's block was verified and is being stored (called for every block). */
  onPeerServed?(peer: string): void
}

export interface DownloadDagResult {
  blocksFetched: number
  blocksLocal: number
  bytes: number
}

/**
 * Walk a UnixFS DAG from its root until every block is stored: blocks already
 * stored are read, never fetched; the rest are pipelined across provider
 * sessions, each verified against its CID before it is stored.
 */
export async function downloadDag (init: DownloadDagInit): Promise<DownloadDagResult> {
  const controller = new AbortController()
  const signal = init.signal == null ? controller.signal : AbortSignal.any([init.signal, controller.signal])
  const todo: Item[] = []
  /** Requested CIDs and the DAG positions waiting for them (a file of zeros repeats one leaf CID). */
  const pending = new Map<string, Item[]>()
  const sessions = new Map<string, BlockSession>()
  const processingByPeer = new Map<string, number>()
  const lacking = new Map<string, Set<string>>()
  const badBlocks = new Map<string, number>()
  const banned = new Set<string>()
  const meter = new ProgressMeter()
  let processing = 0
  let blocksFetched = 0
  let blocksLocal = 0
  const dag = new DagTally()
  let everConnected = false
  let sourceRunning = false
  let phase: DownloadProgress['phase'] = 'finding'
  let failure: Error | undefined
  let discoveryError: Error | undefined
  let discoveries = 0
  let lastProgress = 0
  let reportedBytes = 0
  /** Items not yet checked against the store (new children, in DAG order). */
  const fresh: Item[] = []
  const wakeup = new Wakeup()
  const wake = (): void => { wakeup.wake() }

  const progress = (force = false): void => {
    const now = performance.now()
    const firstBytes = reportedBytes === 0 && dag.bytes > 0 // the first data a person sees is never held back
    if (!force && !firstBytes && now - lastProgress < PROGRESS_INTERVAL_MS) return
    lastProgress = now
    reportedBytes = dag.bytes
    init.onProgress?.({
      phase,
      bytes: dag.bytes,
      totalBytes: dag.total,
      blocksFetched,
      blocksLocal,
      peers: sessions.size,
      bytesPerSecond: meter.bytesPerSecond(now)
    })
  }

  const requeue = (items: Item[]): void => {
    todo.unshift(...items)
  }

  const onBlock = (peer: string, cid: CID, block: Uint8Array): void => {
    const key = cid.toString()
    const items = pending.get(key)
    if (items == null) return
    pending.delete(key)
    processing++
    processingByPeer.set(peer, (processingByPeer.get(peer) ?? 0) + 1)
    void (async () => {
      try {
        await verifyBlock(cid, block)
        const stored = init.store.put(cid, block, { signal })
        // a verified node's links can be requested while it is still being written
        blocksFetched++
        init.onPeerServed?.(peer)
        meter.add(block.byteLength)
        for (const item of items) fresh.push(...dag.expand(item, block)) // checked against the store next
        wake()
        await stored
      } catch (err) {
        if ((err as Error).name === 'BlockVerificationError') {
          const count = (badBlocks.get(peer) ?? 0) + 1
          badBlocks.set(peer, count)
          init.onPeerError?.(peer, err as Error)
          requeue(items)
          if (count >= MAX_BAD_BLOCKS_PER_PEER) {
            banned.add(peer)
            sessions.get(peer)?.close(err as Error)
          }
        } else {
          failure ??= err as Error // storage full, aborted: the download cannot go on
        }
      } finally {
        processing--
        processingByPeer.set(peer, (processingByPeer.get(peer) ?? 1) - 1)
        progress()
        wake()
      }
    })()
  }

  const addSession = ({ peer, stream }: PeerStream): void => {
    if (sessions.has(peer) || banned.has(peer)) {
      stream.abort(new Error('duplicate or banned peer'))
      return
    }
    everConnected = true
    phase = 'transferring'
    const session = new BlockSession(peer, stream, {
      onBlock: (cid, block) => { onBlock(peer, cid, block) },
      onDontHave: cid => {
        const key = cid.toString()
        requeue(pending.get(key) ?? [])
        pending.delete(key)
        if (!lacking.has(peer)) lacking.set(peer, new Set())
        lacking.get(peer)?.add(key)
        wake()
      },
      onClose: (err, outstanding) => {
        sessions.delete(peer)
        requeue(outstanding.flatMap(cid => {
          const items = pending.get(cid.toString()) ?? []
          pending.delete(cid.toString())
          return items
        }))
        if (err != null) init.onPeerError?.(peer, err)
        progress(true)
        wake()
      }
    })
    sessions.set(peer, session)
    progress(true)
    wake()
  }

  const discover = (): void => {
    sourceRunning = true
    phase = sessions.size === 0 ? 'finding' : phase
    progress(true)
    void (async () => {
      try {
        for await (const peerStream of init.connect(signal)) {
          if (signal.aborted) { // finished (or failed) while this stream was opening
            peerStream.stream.abort(new AbortError('the download no longer needs this peer'))
            break
          }
          if (phase === 'finding') phase = 'connecting'
          addSession(peerStream)
        }
      } catch (err) {
        if (!signal.aborted) log('provider discovery failed: %s', (err as Error).message)
        discoveryError = err as Error
      } finally {
        sourceRunning = false
        wake()
      }
    })()
  }

  /**
   * Check new items against the store once each, a batch at a time and
   * concurrently (a 1 GB file has 4,000 leaves: checked one by one they would
   * delay the first request by seconds). Stored blocks are expanded without the
   * network, so a resumed download skips them; the rest join the to-do list.
   */
  const takeLocal = async (): Promise<void> => {
    const batch = fresh.splice(0, LOCAL_CHECK_BATCH)
    if (batch.length === 0) return
    const stored = await Promise.all(batch.map(async item => init.store.has(item.cid, { signal })))
    const remote: Item[] = []
    const children: Item[] = []
    for (const [i, item] of batch.entries()) {
      if (stored[i] !== true) {
        remote.push(item)
        continue
      }
      blocksLocal++
      const block = item.cid.code === raw.code && item.size != null ? undefined : await init.store.get(item.cid, { signal })
      children.push(...dag.expand(item, block, item.size))
    }
    fresh.unshift(...children) // depth first: a stored node's children before later siblings
    todo.unshift(...remote)
  }

  /** Every connected peer said DONT_HAVE to everything left, and nobody else is coming. */
  const isStuck = (): boolean => todo.length > 0 && fresh.length === 0 && pending.size === 0 && processing === 0 && !sourceRunning &&
    sessions.size > 0 && [...sessions.keys()].every(peer => todo.every(item => lacking.get(peer)?.has(item.cid.toString()) === true))

  const assign = (): void => {
    for (const [peer, session] of sessions) {
      const room = init.windowBlocks - session.inFlight - (processingByPeer.get(peer) ?? 0)
      if (room <= 0) continue
      const lacks = lacking.get(peer)
      const batch: Item[] = []
      for (let i = 0; i < todo.length && batch.length < room;) {
        const item = todo[i] as Item
        const key = item.cid.toString()
        if (lacks?.has(key) === true) { i++; continue }
        todo.splice(i, 1)
        const waiting = pending.get(key)
        if (waiting != null) {
          waiting.push(item) // already on its way: never request the same block twice
          continue
        }
        pending.set(key, [item])
        batch.push(item)
      }
      if (batch.length > 0) void session.want(batch.map(item => item.cid))
    }
  }

  const onAbort = (): void => { wake() }
  signal.addEventListener('abort', onAbort)
  fresh.push({ cid: init.root, entry: true })
  try {
    while (true) {
      await takeLocal()
      if (signal.aborted) throw new AbortError()
      if (failure != null) throw failure
      if (todo.length === 0 && pending.size === 0 && processing === 0 && fresh.length === 0) break
      if (sessions.size === 0 && !sourceRunning && processing === 0) {
        // search again once after losing every provider, or after finding some but reaching none (a failed dial)
        const worthRetrying = everConnected || (discoveryError != null && discoveryError.name !== 'NoProvidersError')
        if (discoveries > 0 && (!worthRetrying || discoveries > MAX_REDISCOVERIES)) {
          if (everConnected) throw new ProviderGoneError(init.root.toString(), discoveryError)
          throw discoveryError ?? new NoProvidersError(init.root.toString())
        }
        discoveries++
        discover()
      }
      assign()
      if (isStuck()) {
        // the peers we talk to lack this; if discovery found the sharer but could not reach it, say that
        if (blocksFetched === 0) throw discoveryError ?? new NoProvidersError(init.root.toString())
        throw new ProviderGoneError(init.root.toString(), new Error('no connected peer has the remaining blocks'))
      }
      if (fresh.length === 0) await wakeup.wait() // else: check the next batch while the first requests travel
    }
    phase = 'done'
    progress(true)
    return { blocksFetched, blocksLocal, bytes: dag.bytes }
  } finally {
    signal.removeEventListener('abort', onAbort)
    controller.abort()
    for (const session of sessions.values()) session.close()
  }
}

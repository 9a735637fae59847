import type { Page } from '@playwright/test'
import { cpuMsBetween, otherCpuPct, snapshot } from './cpu.ts'
import { RawChannel } from './raw-channel.ts'

/**
 * The decomposition of one transfer (docs/performance.md), in the same two app
 * pages right after Chiral's own download, so every layer runs in the same
 * processes with the same connection:
 *
 *   (a) raw channel                     bench/raw-channel.ts (blank pages, same processes)
 *   (b) raw channel + storage path      `storagePath`: the sender reads the blocks from Chiral's
 *                                       IndexedDB 5 per read transaction (as a served stream reads
 *                                       ahead), the receiver hashes each (SHA-256) and writes them to
 *                                       a scratch database 8 per transaction or after 50 ms (as
 *                                       IdbStore batches a download's puts)
 *   (c) libp2p stream, no storage       `libp2pStream`: block-sized frames over a new stream on the
 *                                       app's own direct WebRTC connection; the receiver only counts
 *   (c') block channel, no storage      `blockChannel`: the same frames on a negotiated data channel of
 *                                       that connection, a header and a block message each (what a
 *                                       block channel of our own would cost; docs/performance.md)
 *   (d) full Chiral                     bench/chiral-transfer.ts
 *
 * These are probes, not product code: (c) registers a protocol handler through
 * the peer's libp2p node, which the Peer façade keeps private.
 */

export interface LayerResult {
  mbps: number
  seconds: number
  cpuMsPerMB: number
  cpuMs: { sender: number, receiver: number }
  otherCpuPct: number
}

export interface LayerOptions {
  sender: Page
  receiver: Page
  pids: [number, number]
  mb: number
}

const SINK_PROTOCOL = '/chiral-bench/sink/1.0.0'
/** A block frame: 256 KiB of block plus about what the codec puts in front of it (length, type, CID). */
const BLOCK_BYTES = 256 * 1024
const FRAME_HEADER_BYTES = 42
const PROBE_TIMEOUT_MS = 300_000

async function timed (opts: LayerOptions, run: () => Promise<{ start: number, end: number }>): Promise<LayerResult> {
  const before = snapshot(opts.pids)
  const { start, end } = await run()
  const after = snapshot(opts.pids)
  const [sender, receiver] = cpuMsBetween(before, after) as [number, number]
  const seconds = (end - start) / 1000
  return { mbps: opts.mb / seconds, seconds, cpuMsPerMB: (sender + receiver) / opts.mb, cpuMs: { sender, receiver }, otherCpuPct: otherCpuPct(before, after) }
}

/** (c): the libp2p stream Chiral's blocks travel on, with block-sized frames and no storage. */
export async function libp2pStream (opts: LayerOptions): Promise<LayerResult> {
  const receiverId = await opts.receiver.evaluate(() => globalThis.chiral!.peer.peerId)
  const total = Math.round(opts.mb * 2 ** 20)
  await opts.receiver.evaluate(async ({ protocol, target, timeout }) => {
    const libp2p = (globalThis.chiral!.peer as unknown as { libp2p: { handle: Function } }).libp2p
    let resolve: (at: number) => void = () => {}
    let reject: (err: Error) => void = () => {}
    ;(globalThis as unknown as SinkProbe).sinkDone = new Promise<number>((...args) => { [resolve, reject] = args })
    const timer = setTimeout(() => { reject(new Error('the sink stream did not finish')) }, timeout)
    await libp2p.handle(protocol, async (stream: AsyncIterable<{ byteLength: number }>) => {
      let count = 0
      for await (const chunk of stream) {
        count += chunk.byteLength
        if (count >= target) {
          clearTimeout(timer)
          resolve(performance.timeOrigin + performance.now())
        }
      }
    })
  }, { protocol: SINK_PROTOCOL, target: total, timeout: PROBE_TIMEOUT_MS })
  const received = opts.receiver.evaluate(async () => (globalThis as unknown as SinkProbe).sinkDone!)
  return timed(opts, async () => {
    const start = await opts.sender.evaluate(async ({ protocol, peer, total, blockBytes, headerBytes }) => {
      const connection = globalThis.chiral!.peer.connections().find(c => c.remotePeer.toString() === peer && c.limits == null && c.status === 'open')
      if (connection == null) throw new Error('no direct connection to the receiver')
      const stream = await connection.newStream(protocol)
      // whole frames, as Chiral sends them: one send() per block (header and block in one buffer)
      const frameBytes = headerBytes + blockBytes
      const pool = Array.from({ length: 8 }, () => {
        const frame = new Uint8Array(frameBytes)
        for (let o = 0; o < frameBytes; o += 65_536) crypto.getRandomValues(frame.subarray(o, Math.min(frameBytes, o + 65_536)))
        return frame
      })
      const drained = async (): Promise<void> => {
        while (stream.writableNeedsDrain) await new Promise(resolve => { stream.addEventListener('drain', resolve, { once: true }) })
      }
      const start = performance.timeOrigin + performance.now()
      let sent = 0
      for (let i = 0; sent < total; i++) {
        const frame = pool[i % pool.length]!.subarray(0, Math.min(frameBytes, total - sent))
        if (!stream.send(frame)) await drained()
        sent += frame.byteLength
      }
      await stream.close()
      return start
    }, { protocol: SINK_PROTOCOL, peer: receiverId, total, blockBytes: BLOCK_BYTES, headerBytes: FRAME_HEADER_BYTES })
    return { start, end: await received }
  })
}

/** Far above the ids libp2p's streams take (the lowest free one of their DTLS side). */
const PROBE_CHANNEL_ID = 700

/**
 * (c'): a negotiated RTCDataChannel on the app's direct WebRTC connection (the RTCPeerConnection
 * @libp2p/webrtc keeps private), carrying each block frame as a small header message and the
 * 256 KiB block, as a block channel of our own would (tried in commit 6e465f7); the receiver only counts.
 */
export async function blockChannel (opts: LayerOptions): Promise<LayerResult> {
  const senderId = await opts.sender.evaluate(() => globalThis.chiral!.peer.peerId)
  const receiverId = await opts.receiver.evaluate(() => globalThis.chiral!.peer.peerId)
  const total = Math.round(opts.mb * 2 ** 20)
  await opts.receiver.evaluate(async ({ peer, id, target, timeout }) => {
    const connection = globalThis.chiral!.peer.connections().find(c => c.remotePeer.toString() === peer && c.limits == null && c.status === 'open')
    const pc = (connection as unknown as { maConn?: { peerConnection?: RTCPeerConnection } })?.maConn?.peerConnection
    if (pc == null) throw new Error('no RTCPeerConnection to the sender')
    const dc = pc.createDataChannel('chiral-bench-channel', { negotiated: true, id })
    dc.binaryType = 'arraybuffer'
    let resolve: (at: number) => void = () => {}
    let reject: (err: Error) => void = () => {}
    ;(globalThis as unknown as SinkProbe).sinkDone = new Promise<number>((...args) => { [resolve, reject] = args })
    const timer = setTimeout(() => { reject(new Error('the block channel probe did not finish')) }, timeout)
    let count = 0
    dc.onmessage = ({ data }: MessageEvent<ArrayBuffer>) => {
      count += data.byteLength
      if (count >= target) {
        clearTimeout(timer)
        resolve(performance.timeOrigin + performance.now())
        dc.close()
      }
    }
    await new Promise(resolve => { if (dc.readyState === 'open') resolve(undefined); else dc.onopen = resolve })
  }, { peer: senderId, id: PROBE_CHANNEL_ID, target: total, timeout: PROBE_TIMEOUT_MS })
  const received = opts.receiver.evaluate(async () => (globalThis as unknown as SinkProbe).sinkDone!)
  return timed(opts, async () => {
    const start = await opts.sender.evaluate(async ({ peer, id, total, blockBytes, headerBytes }) => {
      const connection = globalThis.chiral!.peer.connections().find(c => c.remotePeer.toString() === peer && c.limits == null && c.status === 'open')
      const pc = (connection as unknown as { maConn?: { peerConnection?: RTCPeerConnection } })?.maConn?.peerConnection
      if (pc == null) throw new Error('no RTCPeerConnection to the receiver')
      const dc = pc.createDataChannel('chiral-bench-channel', { negotiated: true, id })
      dc.binaryType = 'arraybuffer'
      await new Promise(resolve => { if (dc.readyState === 'open') resolve(undefined); else dc.onopen = resolve })
      dc.bufferedAmountLowThreshold = 1024 * 1024
      const pool = Array.from({ length: 8 }, () => {
        const block = new Uint8Array(blockBytes)
        for (let o = 0; o < blockBytes; o += 65_536) crypto.getRandomValues(block.subarray(o, o + 65_536))
        return block
      })
      const header = new Uint8Array(headerBytes)
      const start = performance.timeOrigin + performance.now()
      let sent = 0
      for (let i = 0; sent < total; i++) {
        if (dc.bufferedAmount > 4 * 1024 * 1024) {
          await new Promise<void>(resolve => { dc.addEventListener('bufferedamountlow', () => { resolve() }, { once: true }) })
        }
        const block = pool[i % pool.length]!.subarray(0, Math.min(blockBytes, total - sent))
        dc.send(header)
        dc.send(block)
        sent += header.byteLength + block.byteLength
      }
      return start
    }, { peer: receiverId, id: PROBE_CHANNEL_ID, total, blockBytes: BLOCK_BYTES, headerBytes: FRAME_HEADER_BYTES })
    return { start, end: await received }
  })
}

/** (b): the raw channel carrying blocks read from Chiral's IndexedDB, each hashed and written on arrival. */
export async function storagePath (opts: LayerOptions): Promise<LayerResult> {
  const channel = await RawChannel.connect(opts.sender, opts.receiver)
  try {
    await armStoringReceiver(opts.receiver)
    return await timed(opts, async () => {
      const done = opts.receiver.evaluate(async () => (globalThis as unknown as StorageProbe).storageProbe!.done)
      const { start, bytes } = await opts.sender.evaluate(sendStoredBlocks, { max: Math.round(opts.mb * 2 ** 20) })
      await opts.receiver.evaluate(total => { (globalThis as unknown as StorageProbe).storageProbe!.expect(total) }, bytes)
      return { start, end: await done }
    })
  } finally {
    await channel.close()
  }
}

interface SinkProbe {
  sinkDone?: Promise<number>
}

interface StorageProbe {
  storageProbe?: { done: Promise<number>, expect(total: number): void }
  rawBench?: { dc?: RTCDataChannel }
}

/** The receiver's side of (b): hash every message, write it to a scratch database, 64 per transaction. */
async function armStoringReceiver (receiver: Page): Promise<void> {
  return receiver.evaluate(async () => {
    const g = globalThis as unknown as StorageProbe
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(`chiral-bench-scratch-${Date.now()}`, 1)
      request.onupgradeneeded = () => { request.result.createObjectStore('blocks') }
      request.onsuccess = () => { resolve(request.result) }
      request.onerror = () => { reject(request.error) }
    })
    let expected = Infinity
    let stored = 0
    let pending: Array<[string, Uint8Array]> = []
    let flushScheduled = false // (a timer may fire after a full batch was written: it then writes what came since)
    let finish: (at: number) => void = () => {}
    const done = new Promise<number>(resolve => { finish = resolve })
    const flush = (): void => {
      flushScheduled = false
      const batch = pending
      pending = []
      const tx = db.transaction('blocks', 'readwrite')
      for (const [key, bytes] of batch) tx.objectStore('blocks').put(bytes, key)
      tx.oncomplete = () => {
        for (const [, bytes] of batch) stored += bytes.byteLength
        if (stored >= expected) finish(performance.timeOrigin + performance.now())
      }
    }
    let n = 0
    g.rawBench!.dc!.onmessage = async ({ data }: MessageEvent<ArrayBuffer>) => {
      const bytes = new Uint8Array(data)
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
      pending.push([`${n++}-${digest[0]}`, bytes])
      if (pending.length >= 8) flush()
      else if (!flushScheduled) { flushScheduled = true; setTimeout(flush, 50) }
    }
    g.storageProbe = {
      done,
      expect (total) {
        expected = total
        if (stored >= expected) finish(performance.timeOrigin + performance.now())
      }
    }
  })
}

/** The sender's side of (b): Chiral's stored blocks, one read transaction each, under the raw channel's back-pressure. */
async function sendStoredBlocks ({ max }: { max: number }): Promise<{ start: number, bytes: number }> {
  const dc = (globalThis as unknown as StorageProbe).rawBench!.dc!
  dc.bufferedAmountLowThreshold = 1024 * 1024
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open('chiral')
    request.onsuccess = () => { resolve(request.result) }
    request.onerror = () => { reject(request.error) }
  })
  const keys = await new Promise<IDBValidKey[]>((resolve, reject) => {
    const request = db.transaction('blocks').objectStore('blocks').getAllKeys()
    request.onsuccess = () => { resolve(request.result) }
    request.onerror = () => { reject(request.error) }
  })
  const readMany = async (batch: IDBValidKey[]): Promise<Array<Uint8Array<ArrayBuffer>>> => {
    const store = db.transaction('blocks').objectStore('blocks')
    return Promise.all(batch.map(async key => new Promise<Uint8Array<ArrayBuffer>>((resolve, reject) => {
      const request = store.get(key)
      request.onsuccess = () => { resolve(request.result as Uint8Array<ArrayBuffer>) }
      request.onerror = () => { reject(request.error) }
    })))
  }
  async function * blocks (): AsyncGenerator<Uint8Array<ArrayBuffer>> {
    for (let i = 0; i < keys.length; i += 5) yield * await readMany(keys.slice(i, i + 5))
  }
  const start = performance.timeOrigin + performance.now()
  let bytes = 0
  for await (const block of blocks()) {
    if (bytes >= max) break
    if (block.byteLength < 256 * 1024) continue // the file's data blocks, not its DAG nodes
    if (dc.bufferedAmount > 4 * 1024 * 1024) {
      await new Promise<void>(resolve => { dc.addEventListener('bufferedamountlow', () => { resolve() }, { once: true }) })
    }
    dc.send(block)
    bytes += block.byteLength
  }
  return { start, bytes }
}

import type { Page } from '@playwright/test'
import { cpuMsBetween, otherCpuPct, snapshot } from './cpu.ts'

const MESSAGE_BYTES = 256 * 1024
/** Backpressure: stop queueing above HIGH, resume on 'bufferedamountlow' at LOW (never near Chromium's 16 MiB limit). */
const HIGH_WATER_BYTES = 4 * 1024 * 1024
const LOW_WATER_BYTES = 1024 * 1024
const CONNECT_TIMEOUT_MS = 20_000

export interface RawChannelResult {
  mbps: number
  seconds: number
  cpuMs: { sender: number, receiver: number }
  cpuMsPerMB: number
  /** Everything else's CPU during the timed transfer, % of all cores. */
  otherCpuPct: number
  /** The timed move: sender's first send → receiver counted every byte (epoch ms, both pages' clocks). */
  window: { start: number, end: number }
}

interface BenchWindow {
  rawBench?: {
    pc: RTCPeerConnection
    dc?: RTCDataChannel
    open: Promise<void>
    received: number
    target: number
    done?: (at: number) => void
  }
}

/**
 * The physical ceiling: an ordered, reliable RTCDataChannel between the same two
 * browser processes, signalled through Node, host candidates only.
 */
export class RawChannel {
  private readonly sender: Page
  private readonly receiver: Page

  private constructor (sender: Page, receiver: Page) {
    this.sender = sender
    this.receiver = receiver
  }

  /** `iceServers`: none by default (host candidates, one machine); the NAT lab passes the relay's. */
  static async connect (sender: Page, receiver: Page, iceServers: RTCIceServer[] = []): Promise<RawChannel> {
    const offer = await sender.evaluate(async ({ timeout, iceServers }) => {
      const w = globalThis as unknown as BenchWindow
      const pc = new RTCPeerConnection({ iceServers })
      const dc = pc.createDataChannel('bench', { ordered: true })
      dc.binaryType = 'arraybuffer'
      const open = new Promise<void>((resolve, reject) => {
        dc.onopen = () => { resolve() }
        setTimeout(() => { reject(new Error('data channel did not open')) }, timeout)
      })
      open.catch(() => {})
      w.rawBench = { pc, dc, open, received: 0, target: 0 }
      await pc.setLocalDescription(await pc.createOffer())
      await gathered(pc)
      return pc.localDescription!.toJSON() as RTCSessionDescriptionInit
      async function gathered (pc: RTCPeerConnection): Promise<void> {
        if (pc.iceGatheringState === 'complete') return
        await new Promise<void>(resolve => {
          pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') resolve() })
          setTimeout(resolve, 5_000) // use what we have
        })
      }
    }, { timeout: CONNECT_TIMEOUT_MS, iceServers })

    const answer = await receiver.evaluate(async ({ offer, timeout, iceServers }) => {
      const w = globalThis as unknown as BenchWindow
      const pc = new RTCPeerConnection({ iceServers })
      const open = new Promise<void>((resolve, reject) => {
        pc.ondatachannel = ({ channel }) => {
          channel.binaryType = 'arraybuffer'
          w.rawBench!.dc = channel
          channel.onmessage = ({ data }) => {
            const state = w.rawBench!
            state.received += (data as ArrayBuffer).byteLength
            if (state.target > 0 && state.received >= state.target) {
              state.done?.(performance.timeOrigin + performance.now())
              state.done = undefined
            }
          }
          channel.onopen = () => { resolve() }
          if (channel.readyState === 'open') resolve()
        }
        setTimeout(() => { reject(new Error('data channel did not open')) }, timeout)
      })
      open.catch(() => {})
      w.rawBench = { pc, open, received: 0, target: 0 }
      await pc.setRemoteDescription(offer)
      await pc.setLocalDescription(await pc.createAnswer())
      if (pc.iceGatheringState !== 'complete') {
        await new Promise<void>(resolve => {
          pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') resolve() })
          setTimeout(resolve, 5_000)
        })
      }
      return pc.localDescription!.toJSON() as RTCSessionDescriptionInit
    }, { offer, timeout: CONNECT_TIMEOUT_MS, iceServers })

    await sender.evaluate(async answer => {
      const state = (globalThis as unknown as BenchWindow).rawBench!
      await state.pc.setRemoteDescription(answer)
      await state.open
    }, answer)
    await receiver.evaluate(async () => { await (globalThis as unknown as BenchWindow).rawBench!.open })
    return new RawChannel(sender, receiver)
  }

  /** Move `bytes` in 256 KiB messages; returns [start, end] as epoch milliseconds (same clock in both processes). */
  async move (bytes: number): Promise<{ start: number, end: number }> {
    const received = this.receiver.evaluate(async target => {
      const state = (globalThis as unknown as BenchWindow).rawBench!
      state.received = 0
      state.target = target
      return new Promise<number>(resolve => { state.done = resolve })
    }, bytes)
    // the receiver is armed once its evaluate has run: wait for that before sending
    await this.receiver.evaluate(() => (globalThis as unknown as BenchWindow).rawBench!.target)
    const start = await this.sender.evaluate(async ({ total, size, high, low }) => {
      const dc = (globalThis as unknown as BenchWindow).rawBench!.dc!
      dc.bufferedAmountLowThreshold = low
      // a few distinct random messages, so nothing can shortcut identical payloads
      const pool = Array.from({ length: 8 }, () => {
        const chunk = new Uint8Array(size)
        for (let o = 0; o < size; o += 65_536) crypto.getRandomValues(chunk.subarray(o, o + 65_536))
        return chunk
      })
      const start = performance.timeOrigin + performance.now()
      let sent = 0
      let i = 0
      while (sent < total) {
        if (dc.bufferedAmount > high) {
          await new Promise<void>(resolve => { dc.addEventListener('bufferedamountlow', () => { resolve() }, { once: true }) })
        }
        const n = Math.min(size, total - sent)
        const chunk = pool[i++ % pool.length]!
        dc.send(n === size ? chunk : chunk.subarray(0, n))
        sent += n
      }
      return start
    }, { total: bytes, size: MESSAGE_BYTES, high: HIGH_WATER_BYTES, low: LOW_WATER_BYTES })
    const end = await received
    return { start, end }
  }

  /** One side's selected candidate pair, as `local/remote` candidate types (`srflx/prflx`, `relay/host`...). */
  async candidatePair (side: 'sender' | 'receiver' = 'sender'): Promise<string | undefined> {
    return this[side].evaluate(async () => {
      const stats = [...(await (globalThis as unknown as BenchWindow).rawBench!.pc.getStats()).values()] as Array<Record<string, string>>
      const pairId = stats.find(s => s.type === 'transport')?.selectedCandidatePairId
      const pair = stats.find(s => s.id === pairId)
      const type = (id: string | undefined): string | undefined => stats.find(s => s.id === id)?.candidateType
      return pair == null ? undefined : `${type(pair.localCandidateId)}/${type(pair.remoteCandidateId)}`
    })
  }

  async close (): Promise<void> {
    for (const page of [this.sender, this.receiver]) {
      await page.evaluate(() => { (globalThis as unknown as BenchWindow).rawBench?.pc.close() }).catch(() => {})
    }
  }
}

/** Warm up, then time `mb` MB over the raw channel and charge both process trees' CPU to it. */
export async function measureRawChannel (opts: { sender: Page, receiver: Page, pids: [number, number], mb: number, warmupMB: number }): Promise<RawChannelResult> {
  const channel = await RawChannel.connect(opts.sender, opts.receiver)
  try {
    await channel.move(opts.warmupMB * 2 ** 20)
    const before = snapshot(opts.pids)
    const { start, end } = await channel.move(opts.mb * 2 ** 20)
    const after = snapshot(opts.pids)
    const [sender, receiver] = cpuMsBetween(before, after) as [number, number]
    const seconds = (end - start) / 1000
    return { mbps: opts.mb / seconds, seconds, cpuMs: { sender, receiver }, cpuMsPerMB: (sender + receiver) / opts.mb, otherCpuPct: otherCpuPct(before, after), window: { start, end } }
  } finally {
    await channel.close()
  }
}

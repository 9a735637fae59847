import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { UPLOAD_BURST_BYTES } from '../../app/core/constants.ts'
import { createUploadLimiter } from '../../app/core/serve/upload-limiter.ts'

const KiB = 1024
const MiB = 1024 * KiB

/** When (fake ms since start) a take resolved; undefined while it waits. */
function timed (take: Promise<void>): { at: number | undefined, error: unknown } {
  const start = Date.now()
  const result: { at: number | undefined, error: unknown } = { at: undefined, error: undefined }
  take.then(() => { result.at = Date.now() - start }, err => { result.error = err })
  return result
}

describe('upload limiter', () => {
  beforeEach(() => { vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }) })
  afterEach(() => { vi.useRealTimers() })

  it('is unlimited by default: nothing waits', async () => {
    const limiter = createUploadLimiter()
    expect(limiter.limit).toBeUndefined()
    const start = Date.now()
    for (let i = 0; i < 100; i++) await limiter.take(MiB) // would hang on the fake clock if any waited
    expect(Date.now()).toBe(start)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('sends 1 MiB at 512 KiB/s in 2 s of fake time, after a burst of one block', async () => {
    const limiter = createUploadLimiter({ bytesPerSecond: 512 * KiB })
    expect(UPLOAD_BURST_BYTES).toBe(256 * KiB)
    const burst = timed(limiter.take(256 * KiB))
    await vi.advanceTimersByTimeAsync(0)
    expect(burst.at).toBe(0) // a full bucket: one whole block goes at once
    const blocks = Array.from({ length: 4 }, () => timed(limiter.take(256 * KiB)))
    await vi.advanceTimersByTimeAsync(1999)
    expect(blocks.map(b => b.at)).toEqual([500, 1000, 1500, undefined])
    await vi.advanceTimersByTimeAsync(1)
    expect(blocks[3]!.at).toBe(2000)
  })

  it('lets a block larger than the burst through on a full bucket and makes the next one wait out the debt', async () => {
    const limiter = createUploadLimiter({ bytesPerSecond: 512 * KiB })
    const big = timed(limiter.take(MiB))
    const next = timed(limiter.take(KiB))
    await vi.advanceTimersByTimeAsync(0)
    expect(big.at).toBe(0)
    // 1 MiB - 256 KiB of debt, then 1 KiB: (768 + 1) KiB at 512 KiB/s
    const due = Math.ceil((768 + 1) / 512 * 1000)
    await vi.advanceTimersByTimeAsync(due - 1)
    expect(next.at).toBeUndefined()
    await vi.advanceTimersByTimeAsync(1)
    expect(next.at).toBe(due)
  })

  it('a new limit applies to the block waiting next; undefined releases everything', async () => {
    const limiter = createUploadLimiter({ bytesPerSecond: 256 * KiB })
    await limiter.take(256 * KiB) // the burst
    const second = timed(limiter.take(256 * KiB)) // 1000 ms at the old rate
    const third = timed(limiter.take(256 * KiB))
    await vi.advanceTimersByTimeAsync(500) // half its tokens so far
    limiter.setLimit(1024 * KiB) // the other half at 1 MiB/s: 125 ms more
    expect(limiter.limit).toBe(1024 * KiB)
    await vi.advanceTimersByTimeAsync(125)
    expect(second.at).toBe(625)
    expect(third.at).toBeUndefined()
    limiter.setLimit(undefined)
    await vi.advanceTimersByTimeAsync(0)
    expect(third.at).toBe(625)
  })

  it('serves waiters in order, and an aborted wait takes nothing from the others', async () => {
    const limiter = createUploadLimiter({ bytesPerSecond: 256 * KiB })
    await limiter.take(256 * KiB)
    const controller = new AbortController()
    const first = timed(limiter.take(256 * KiB))
    const aborted = timed(limiter.take(256 * KiB, controller.signal))
    const last = timed(limiter.take(256 * KiB))
    await vi.advanceTimersByTimeAsync(200)
    controller.abort(new Error('stream gone'))
    await vi.advanceTimersByTimeAsync(1800)
    expect(aborted.error).toMatchObject({ message: 'stream gone' })
    expect([first.at, last.at]).toEqual([1000, 2000])
    await expect(limiter.take(1, controller.signal)).rejects.toMatchObject({ message: 'stream gone' })
  })

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses a limit of %s', value => {
    const limiter = createUploadLimiter()
    expect(() => { limiter.setLimit(value) }).toThrow(RangeError)
    expect(limiter.limit).toBeUndefined()
  })
})

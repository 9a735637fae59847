import { UPLOAD_BURST_BYTES } from '../constants.ts'
import { AbortError } from '../errors.ts'

/**
 * The sharer's upload speed limit: one token bucket for every stream it
 * serves, so the limit holds for the whole peer however many downloaders it
 * has. Waiters are served first come, first served.
 */
export interface UploadLimiter {
  /** Bytes per second, undefined when unlimited. */
  readonly limit: number | undefined
  /**
   * Change the limit at any time (undefined = unlimited). A block already
   * released keeps going; the block waiting next is timed at the new rate.
   * @throws RangeError unless undefined or a finite number > 0
   */
  setLimit(bytesPerSecond: number | undefined): void
  /**
   * Resolves when `bytes` may be sent. Rejects with the signal's reason (or an
   * AbortError) if the signal aborts first; an aborted wait takes nothing.
   */
  take(bytes: number, signal?: AbortSignal): Promise<void>
}

export interface UploadLimiterInit {
  /** Initial limit in bytes per second; default undefined (unlimited). */
  bytesPerSecond?: number
  /** Bucket size; default UPLOAD_BURST_BYTES (one 256 KiB block). */
  burstBytes?: number
}

interface Waiter {
  bytes: number
  resolve(): void
  cleanup(): void
}

export function createUploadLimiter (init: UploadLimiterInit = {}): UploadLimiter {
  return new TokenBucket(init)
}

/**
 * Tokens refill at the limit up to the burst. A take waits until the bucket
 * holds min(bytes, burst) tokens and then takes all `bytes`, so a block bigger
 * than the burst leaves a debt (negative tokens) the next take waits out: the
 * average rate holds for any block size.
 */
class TokenBucket implements UploadLimiter {
  private rate: number | undefined
  private readonly burst: number
  private tokens: number
  private updatedAt = Date.now()
  private readonly waiters: Waiter[] = []
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor (init: UploadLimiterInit) {
    this.burst = init.burstBytes ?? UPLOAD_BURST_BYTES
    if (!(this.burst > 0)) throw new RangeError('the upload burst must be > 0 bytes')
    this.tokens = this.burst
    this.setLimit(init.bytesPerSecond)
  }

  get limit (): number | undefined {
    return this.rate
  }

  setLimit (bytesPerSecond: number | undefined): void {
    if (bytesPerSecond !== undefined && !(Number.isFinite(bytesPerSecond) && bytesPerSecond > 0)) {
      throw new RangeError(`an upload limit is a number of bytes per second > 0, or undefined for none (got ${bytesPerSecond})`)
    }
    this.refill() // time so far counts at the old rate
    this.rate = bytesPerSecond
    if (bytesPerSecond === undefined) this.tokens = this.burst // unlimited forgives any debt
    this.release()
  }

  async take (bytes: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) throw signal.reason ?? new AbortError()
    if (this.waiters.length === 0 && this.tryTake(bytes)) return
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.waiters.indexOf(waiter)
        if (index !== -1) this.waiters.splice(index, 1)
        reject(signal?.reason ?? new AbortError())
        this.release() // the next in line may fit now
      }
      const waiter: Waiter = { bytes, resolve, cleanup: () => { signal?.removeEventListener('abort', onAbort) } }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.waiters.push(waiter)
      this.release()
    })
  }

  /** Let waiters through in order while tokens last, then sleep until the next one fits. */
  private release (): void {
    clearTimeout(this.timer)
    this.timer = undefined
    while (this.waiters.length > 0) {
      const head = this.waiters[0]!
      if (!this.tryTake(head.bytes)) {
        const missing = Math.min(head.bytes, this.burst) - this.tokens
        this.timer = setTimeout(() => { this.release() }, Math.max(1, Math.ceil(missing * 1000 / this.rate!)))
        return
      }
      this.waiters.shift()
      head.cleanup()
      head.resolve()
    }
  }

  private tryTake (bytes: number): boolean {
    if (this.rate === undefined) return true
    this.refill()
    if (this.tokens < Math.min(bytes, this.burst)) return false
    this.tokens -= bytes
    return true
  }

  private refill (): void {
    const now = Date.now()
    if (this.rate !== undefined) this.tokens = Math.min(this.burst, this.tokens + (now - this.updatedAt) * this.rate / 1000)
    this.updatedAt = now
  }
}

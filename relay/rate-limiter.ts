/**
 * Token buckets by key (a client IP): `capacity` at once, refilled at
 * `perHour`. The table is bounded: past `maxKeys` the least recently used key
 * is forgotten (it starts again with a full bucket, which is the safe side for
 * an honest user and costs an abuser a new address).
 */
export interface RateLimiterInit {
  perHour: number
  capacity: number
  /** Keys remembered at once. */
  maxKeys: number
  now?: () => number
}

interface Bucket {
  tokens: number
  at: number
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>()
  private readonly init: Required<RateLimiterInit>

  constructor (init: RateLimiterInit) {
    this.init = { now: () => Date.now(), ...init }
  }

  /** Take one token for `key`; false when its bucket is empty. */
  take (key: string): boolean {
    const now = this.init.now()
    const bucket = this.refill(key, now)
    // re-insert: Map keeps insertion order, so the first key is the least recently used
    this.buckets.delete(key)
    this.buckets.set(key, bucket)
    if (this.buckets.size > this.init.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string)
    if (bucket.tokens < 1) return false
    bucket.tokens -= 1
    return true
  }

  /** Seconds until `key` may take a token again: at least 1, as a client told to retry must wait. */
  retryAfterSeconds (key: string): number {
    const bucket = this.refill(key, this.init.now())
    return Math.max(1, Math.ceil((1 - bucket.tokens) * 3600 / this.init.perHour))
  }

  get size (): number {
    return this.buckets.size
  }

  private refill (key: string, now: number): Bucket {
    const bucket = this.buckets.get(key) ?? { tokens: this.init.capacity, at: now }
    const earned = (now - bucket.at) * this.init.perHour / 3_600_000
    return { tokens: Math.min(this.init.capacity, bucket.tokens + earned), at: now }
  }
}

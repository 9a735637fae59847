import { ipKey } from './ip-key.ts'

/**
 * Counts what each remote address holds (sockets, handshakes) against a cap.
 * Keys follow ipKey(): IPv4 addresses, IPv6 /64 prefixes.
 */
export class PerIpCounter {
  private readonly counts = new Map<string, number>()
  private readonly cap: number

  constructor (cap: number) {
    this.cap = cap
  }

  /** Count one more for `address`, unless it already holds `cap`; true when counted. */
  tryAdd (address: string): boolean {
    const key = ipKey(address)
    const count = this.counts.get(key) ?? 0
    if (count >= this.cap) return false
    this.counts.set(key, count + 1)
    return true
  }

  /** Release one counted by tryAdd. */
  remove (address: string): void {
    const key = ipKey(address)
    const count = this.counts.get(key) ?? 0
    // forget addresses that hold nothing, so the map only ever holds live ones
    if (count <= 1) this.counts.delete(key)
    else this.counts.set(key, count - 1)
  }

  count (address: string): number {
    return this.counts.get(ipKey(address)) ?? 0
  }

  /** Addresses currently holding anything. */
  get size (): number {
    return this.counts.size
  }
}

import { logger } from '@libp2p/logger'
import { SERVE_ACTIVITY_IDLE_MS } from '../constants.ts'
import type { ShareIndex } from './share-index.ts'
import type { ConnectionPath } from '../network/connection-path.ts'
import type { UploadActivity, UploadEntry } from '../types.ts'

const log = logger('chiral:serve:activity')

export interface ServeActivityInit {
  index: Pick<ShareIndex, 'sharesOf' | 'bytesOf'>
  /** How the bytes to `peer` travel, read once per entry; undefined when unknown (not WebRTC, or closed). */
  pathOf?(peer: string): Promise<ConnectionPath | undefined>
  /** Default SERVE_ACTIVITY_IDLE_MS. */
  idleMs?: number
  /** Wall-clock milliseconds (Date.now). */
  now?(): number
}

/**
 * Who is downloading this peer's shares right now, and how far: every served
 * block is counted in the total at once, then for each share it belongs to
 * (ShareIndex) under that peer. An entry whose peer asked for nothing in
 * `idleMs` expires. Memory: one entry per (peer, share) pair among live
 * downloads, dropped as they expire.
 */
export class ServeActivity {
  private readonly init: ServeActivityInit
  private readonly idleMs: number
  private readonly now: () => number
  private readonly entries = new Map<string, UploadEntry>()
  private bytesServed = 0
  private blocksServed = 0

  constructor (init: ServeActivityInit) {
    this.init = init
    this.idleMs = init.idleMs ?? SERVE_ACTIVITY_IDLE_MS
    this.now = init.now ?? Date.now
  }

  /** A block of `bytes` went out to `peer`. Resolves once it is attributed (tests await it; the peer does not). */
  async served (cid: string, peer: string, bytes: number): Promise<void> {
    this.bytesServed += bytes
    this.blocksServed++
    let shares: string[]
    try {
      shares = await this.init.index.sharesOf(cid)
    } catch (err) {
      log('could not attribute %s: %s', cid, (err as Error).message)
      return
    }
    const now = this.now()
    for (const share of shares) this.count(share, peer, bytes, now)
  }

  /** The downloads under way (most recent activity first) and the totals since start. */
  snapshot (): UploadActivity {
    const now = this.now()
    this.expire(now)
    const downloads = [...this.entries.values()]
      .map(entry => {
        const whole = this.init.index.bytesOf(entry.cid)
        return { ...entry, ...(whole != null && whole > 0 ? { fraction: Math.min(1, entry.bytes / whole) } : {}) }
      })
      .sort((a, b) => b.lastAt - a.lastAt || a.peer.localeCompare(b.peer))
    return { bytesServed: this.bytesServed, blocksServed: this.blocksServed, downloads }
  }

  private count (share: string, peer: string, bytes: number, now: number): void {
    const key = `${peer} ${share}`
    let entry = this.entries.get(key)
    if (entry != null && now - entry.lastAt > this.idleMs) { this.entries.delete(key); entry = undefined } // it stopped and came back: a new download
    if (entry == null) {
      this.expire(now) // new entries are the only growth: old ones go first
      entry = { peer, cid: share, bytes: 0, blocks: 0, startedAt: now, lastAt: now }
      this.entries.set(key, entry)
      void this.describe(key, peer)
    }
    entry.bytes += bytes
    entry.blocks++
    entry.lastAt = now
  }

  private async describe (key: string, peer: string): Promise<void> {
    const path = await this.init.pathOf?.(peer).catch(() => undefined)
    const entry = this.entries.get(key)
    if (path != null && entry != null) entry.route = path.route
  }

  private expire (now: number): void {
    for (const [key, entry] of this.entries) if (now - entry.lastAt > this.idleMs) this.entries.delete(key)
  }
}

import { PEER_BAN_MS } from '../constants.ts'

/** Peers dropped for sending bad blocks, and until when they may not be linked again. */
export class PeerBans {
  private readonly until = new Map<string, number>()

  ban (peer: string, now = performance.now()): void {
    this.until.set(peer, now + PEER_BAN_MS)
  }

  /** Whether `peer` is banned now; a ban that ran out is forgotten. */
  has (peer: string, now = performance.now()): boolean {
    const until = this.until.get(peer)
    if (until == null) return false
    if (until > now) return true
    this.until.delete(peer)
    return false
  }
}

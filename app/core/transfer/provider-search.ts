import { logger } from '@libp2p/logger'
import { AbortError } from '../errors.ts'
import type { PeerStream } from './peer-stream.ts'

const log = logger('chiral:transfer:search')

/** One search: block streams to providers (see TransferRunInit.findPeers). */
export type FindPeers = (signal: AbortSignal, reuse: (peer: string) => boolean, missed: (peer: string) => void) => AsyncIterable<PeerStream>

export interface ProviderSearchInit {
  findPeers: FindPeers
  /** An existing link serves this transfer too: true when there is one. */
  reuse(peer: string): boolean
  /** A new block stream to a provider. */
  found(peerStream: PeerStream): void
  /** A search ended. */
  ended(): void
}

/**
 * The searches of one transfer, one at a time: how many ran, when the last
 * ended, why it found nobody, and whether it missed a provider it found but
 * could not reach (then the next one comes sooner).
 */
export class ProviderSearch {
  running = false
  rounds = 0
  lastEnd = 0
  missedSome = false
  lastError: Error | undefined
  private readonly init: ProviderSearchInit
  private readonly controller = new AbortController()
  private readonly signal: AbortSignal

  constructor (init: ProviderSearchInit, signal: AbortSignal) {
    this.init = init
    this.signal = AbortSignal.any([signal, this.controller.signal])
  }

  start (): void {
    this.running = true
    this.rounds++
    this.lastError = undefined
    this.missedSome = false
    const { signal } = this
    void (async () => {
      try {
        const missed = (): void => { this.missedSome = true }
        for await (const peerStream of this.init.findPeers(signal, peer => !signal.aborted && this.init.reuse(peer), missed)) {
          if (signal.aborted) { // finished (or failed) while this stream was opening
            peerStream.stream.abort(new AbortError('the download no longer needs this peer'))
            break
          }
          this.init.found(peerStream)
        }
      } catch (err) {
        if (!signal.aborted) log('provider search failed: %s', (err as Error).message)
        this.lastError = err as Error
      } finally {
        this.running = false
        this.lastEnd = performance.now()
        this.init.ended()
      }
    })()
  }

  /** The transfer is over: a running search stops and opens nothing more. */
  stop (): void {
    this.controller.abort()
  }
}

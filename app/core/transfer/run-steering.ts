import { BlockVerificationError, NoProvidersError, ProviderGoneError } from '../errors.ts'
import type { ProviderSearch } from './provider-search.ts'
import type { CID } from 'multiformats/cid'

export interface TransferTimeouts {
  /** Every peer gone (or none has what is left): keep looking this long before giving up. */
  goneGraceMs: number
  /** While peers serve us, look for more this often. */
  searchIntervalMs: number
  /** With no useful peer, search again this soon after the last search ended. */
  rediscoveryGapMs: number
}

/** What a run knows that decides whether to search again or give up. */
export interface SteeringFacts {
  root: string
  /** Peers the run has a link to now. */
  links(): number
  /** Every linked peer lacks what is left (or refused it). */
  stuck(now: number): boolean
  /** A block only wrong copies came for, with nobody else to ask. */
  badBlock(): CID | undefined
  /** Some block arrived in this run, or the root was already stored. */
  progressed(): boolean
  searches: ProviderSearch
  /** Wake the run's loop now. */
  wake(): void
}

/**
 * When a run searches for providers again and when it gives up. Its idle clock
 * starts when no peer is useful (none linked, every one lacking what is left)
 * and stops at the next delivery; after `goneGraceMs` of it the run fails with
 * ProviderGoneError. Before any peer was ever linked, a failed search ends the
 * run with its own error (NoProvidersError, a dial error...).
 */
export class RunSteering {
  private readonly facts: SteeringFacts
  private readonly timeouts: TransferTimeouts
  private everLinked = false
  private idleSince: number | undefined
  private deadline: ReturnType<typeof setTimeout> | undefined
  private deadlineAt = Infinity

  constructor (facts: SteeringFacts, timeouts: TransferTimeouts) {
    this.facts = facts
    this.timeouts = timeouts
  }

  /** A peer lacked a block: the idle clock starts, unless it runs already. */
  lacked (now: number): void {
    this.idleSince ??= now
  }

  /** A block arrived: the run is not idle. */
  delivered (): void {
    this.idleSince = undefined
  }

  close (): void {
    clearTimeout(this.deadline)
  }

  /** Decide about searching and giving up; called on every wake. @throws the run's failure */
  steer (now: number): void {
    const { facts, timeouts } = this
    const { searches } = facts
    const links = facts.links()
    if (links > 0) this.everLinked = true
    const stuck = facts.stuck(now)
    const idle = links === 0 || stuck
    if (!idle) {
      if (this.idleSince != null && !searches.running && now - this.idleSince >= timeouts.goneGraceMs) {
        throw new ProviderGoneError(facts.root, searches.lastError ?? new Error('no connected peer has the remaining blocks'))
      }
      if (this.idleSince != null) this.wakeAt(this.idleSince + timeouts.goneGraceMs)
      if (searches.running) return
      const interval = searches.missedSome ? timeouts.rediscoveryGapMs : timeouts.searchIntervalMs
      if (now - searches.lastEnd >= interval) searches.start() // more providers may have come, or one we missed may answer now
      else this.wakeAt(searches.lastEnd + interval)
      return
    }
    this.idleSince ??= now
    if (this.everLinked && now - this.idleSince >= timeouts.goneGraceMs) {
      throw new ProviderGoneError(facts.root, searches.lastError ?? (stuck ? new Error('no connected peer has the remaining blocks') : undefined))
    }
    if (searches.running) { this.wakeAt(this.idleSince + timeouts.goneGraceMs); return }
    const badBlock = facts.badBlock()
    if (badBlock != null) throw new BlockVerificationError(badBlock.toString()) // only wrong copies came, and nobody else may send it
    if (stuck && !facts.progressed()) throw searches.lastError ?? new NoProvidersError(facts.root) // the peers we reached lack it
    if (!this.everLinked) {
      // search again once if the first search found someone it could not reach; then say why
      if (searches.rounds === 0 || (searches.rounds === 1 && searches.lastError != null && searches.lastError.name !== 'NoProvidersError')) searches.start()
      else throw searches.lastError ?? new NoProvidersError(facts.root)
      return
    }
    if (now - this.idleSince >= timeouts.goneGraceMs) {
      throw new ProviderGoneError(facts.root, searches.lastError ?? (stuck ? new Error('no connected peer has the remaining blocks') : undefined))
    }
    if (now - searches.lastEnd >= timeouts.rediscoveryGapMs) searches.start()
    else this.wakeAt(searches.lastEnd + timeouts.rediscoveryGapMs)
    this.wakeAt(this.idleSince + timeouts.goneGraceMs)
  }

  /** Wake the loop at `at` (performance.now() time); the earliest pending deadline wins. */
  private wakeAt (at: number): void {
    if (at >= this.deadlineAt) return
    clearTimeout(this.deadline)
    this.deadlineAt = at
    this.deadline = setTimeout(() => {
      this.deadlineAt = Infinity
      this.facts.wake()
    }, Math.max(0, at - performance.now()))
  }
}

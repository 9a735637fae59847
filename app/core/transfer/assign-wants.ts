import { logger } from '@libp2p/logger'
import { ENDGAME_AFTER_MS, ENDGAME_MARGIN, MAX_ASKS_PER_WANT } from '../constants.ts'
import type { PeerLink } from './peer-link.ts'
import type { Want, WantList } from './want-list.ts'

const log = logger('chiral:transfer:assign')

/**
 * One scheduling pass: every open link, fastest first, is given queued wants
 * up to its window; room left over goes to racing what a stalled peer owes,
 * or, in the endgame, what another peer would deliver much later. A link
 * serving a player (a `first` want asked of it or waiting for it) is asked for
 * nothing else meanwhile: a peer answers in order, so every other block asked
 * of it would come before the player's next ones.
 */
export function assignWants (wants: WantList, linked: ReadonlyMap<string, PeerLink>, now: number): void {
  const links = [...linked.values()].filter(link => link.session.isOpen).sort((a, b) => b.rate(now) - a.rate(now))
  let reAskable: Want[] | undefined
  const playing = wants.hasFirst ? playerLinks(wants, links, now) : undefined
  for (const link of links) {
    let room = link.room(now)
    if (room <= 0) continue
    const onlyFirst = playing?.has(link.peer) === true
    const batch: Want[] = []
    for (const want of wants.queued()) {
      if (batch.length >= room) break
      if (onlyFirst && !want.first) continue
      if (!canAsk(link, want, now)) continue
      batch.push(want)
    }
    for (const want of batch) wants.ask(want, link.peer, now)
    room -= batch.length
    if (room > 0 && !onlyFirst) {
      // a stalled peer's wants, or in the endgame anybody's: a second peer races for them
      reAskable ??= wants.inFlight()
      const endgame = wants.queuedCount === 0
      for (const want of reAskable) {
        if (room <= 0) break
        if (want.askedOf.size >= MAX_ASKS_PER_WANT || want.askedOf.has(link.peer) || !canAsk(link, want, now)) continue
        const stalled = [...want.askedOf.keys()].some(peer => linked.get(peer)?.stalled(now) === true)
        if (!stalled && !(endgame && wouldBeSooner(link, want, linked, now))) continue
        wants.ask(want, link.peer, now)
        batch.push(want)
        room--
      }
    }
    if (batch.length > 0) {
      log('asking %s for %d blocks (window %d)', link.peer, batch.length, link.window(now))
      link.session.want(batch.map(want => want.cid))
    }
  }
}

/**
 * Endgame: would `link` deliver `want` clearly sooner than the peers already
 * asked? Each peer answers in order, so a want's arrival there is its place in
 * that peer's queue times its block time; `link` would send it after what it
 * already owes. Without rates yet, a want this old is raced (ENDGAME_AFTER_MS).
 */
function wouldBeSooner (link: PeerLink, want: Want, linked: ReadonlyMap<string, PeerLink>, now: number): boolean {
  const mine = link.blockMs(now)
  for (const [peer, askedAt] of want.askedOf) {
    const other = linked.get(peer)
    const theirs = other?.blockMs(now)
    if (other == null) return true
    if (mine == null || theirs == null) {
      if (now - askedAt < ENDGAME_AFTER_MS) return false
      continue
    }
    const theirArrival = (other.session.positionOf(want.cid) + 1) * theirs
    const myArrival = (link.session.inFlight + 1) * mine
    if (myArrival * ENDGAME_MARGIN >= theirArrival) return false
  }
  return true
}

/** Links a player's wants are out at, or could be asked of now. */
function playerLinks (wants: WantList, links: PeerLink[], now: number): Set<string> {
  const peers = new Set<string>()
  for (const want of wants.inFlight()) if (want.first) for (const peer of want.askedOf.keys()) peers.add(peer)
  for (const want of wants.queued()) {
    if (!want.first) continue
    for (const link of links) if (canAsk(link, want, now)) peers.add(link.peer)
  }
  return peers
}

/** `link` may be asked for `want`: it serves one of the transfers waiting for it, and has not refused it. */
function canAsk (link: PeerLink, want: Want, now: number): boolean {
  if (want.refuses(link.peer, now)) return false
  for (const { owner } of want.waiters) if (link.owners.has(owner)) return true
  return false
}

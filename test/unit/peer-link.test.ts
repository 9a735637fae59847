import { describe, expect, it } from 'vitest'
import { CHUNK_SIZE, INITIAL_WINDOW_BLOCKS, MIN_WINDOW_BLOCKS } from '../../app/core/constants.ts'
import { PeerLink } from '../../app/core/transfer/peer-link.ts'
import type { BlockSession } from '../../app/core/transfer/block-session.ts'

/** A session stand-in: only what the link reads (wants in flight, how long the next answer is overdue). */
function link (waiting = 0, maxWindow = 32): PeerLink {
  const session = { inFlight: 0, waitingFor: () => waiting } as unknown as BlockSession
  return new PeerLink('p', session, { maxWindow, stallMinMs: 1_500 })
}

describe('peer link window', () => {
  it('starts small until the rate is known', () => {
    expect(link().window(0)).toBe(INITIAL_WINDOW_BLOCKS)
    expect(link(0, 4).window(0)).toBe(4)
  })

  it('a fast peer earns a large window, a slow one a small one', () => {
    const fast = link()
    const slow = link()
    for (let i = 0; i < 40; i++) fast.received(CHUNK_SIZE, 1_000 + i * 25) // 40 blocks a second: ~10 MB/s
    for (let i = 0; i < 4; i++) slow.received(CHUNK_SIZE, 1_000 + i * 2_000) // a block every 2 s: ~130 kB/s
    expect(fast.window(2_000)).toBe(32) // capped by maxWindow
    expect(slow.window(7_000)).toBeLessThanOrEqual(MIN_WINDOW_BLOCKS)
    expect(fast.blockMs(2_000)).toBeLessThan(slow.blockMs(7_000)!)
  })

  it('a stalled peer is cut to the smallest window; a slow peer is not called stalled for being slow', () => {
    const stalled = link(1_600)
    for (let i = 0; i < 10; i++) stalled.received(CHUNK_SIZE, 1_000 + i * 25)
    expect(stalled.stalled(1_300)).toBe(true)
    expect(stalled.window(1_300)).toBe(MIN_WINDOW_BLOCKS)
    const slow = link(3_000) // 3 s since its last block, at one block every 2 s
    for (let i = 0; i < 4; i++) slow.received(CHUNK_SIZE, 1_000 + i * 2_000)
    expect(slow.stalled(7_000)).toBe(false)
  })
})

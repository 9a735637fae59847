import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { identity } from 'multiformats/hashes/identity'
import { describe, expect, it } from 'vitest'
import { MAX_PENDING_WANTS_PER_PEER, MAX_PENDING_WANTS_PER_STREAM, MAX_PENDING_WANTS_TOTAL, MAX_SERVED_STREAMS_PER_PEER, MAX_SERVED_STREAMS_TOTAL } from '../../app/core/constants.ts'
import { ServeLimits } from '../../app/core/serve/serve-limits.ts'
import { WantQueue } from '../../app/core/serve/want-queue.ts'

describe('ServeLimits', () => {
  it('bounds streams per peer and in total, and a released stream frees its slot', () => {
    const limits = new ServeLimits()
    const a = Array.from({ length: MAX_SERVED_STREAMS_PER_PEER }, () => limits.openStream('a'))
    expect(() => limits.openStream('a')).toThrow(expect.objectContaining({ name: 'ServeLimitError', message: expect.stringContaining('peer a already holds') }))
    expect(limits.peerStats('a').streams).toBe(MAX_SERVED_STREAMS_PER_PEER)
    a[0]!.release()
    a[0]!.release() // a second release gives back nothing more
    expect(limits.stats()).toEqual({ streams: MAX_SERVED_STREAMS_PER_PEER - 1, wants: 0, peers: 1 })
    limits.openStream('a')
    for (let peer = 0; limits.stats().streams < MAX_SERVED_STREAMS_TOTAL; peer++) limits.openStream(`p${Math.floor(peer / MAX_SERVED_STREAMS_PER_PEER)}`)
    expect(() => limits.openStream('newcomer')).toThrow(expect.objectContaining({ name: 'ServeLimitError', message: expect.stringContaining(`serving ${MAX_SERVED_STREAMS_TOTAL}`) }))
    expect(limits.peerStats('newcomer')).toEqual({ streams: 0, wants: 0 })
  })

  it('bounds wants per stream and per peer with ProtocolError, and in total with ServeLimitError, counting nothing on refusal', () => {
    const limits = new ServeLimits()
    const [s1, s2, s3] = [limits.openStream('a'), limits.openStream('a'), limits.openStream('a')]
    s1.addWants(MAX_PENDING_WANTS_PER_STREAM)
    expect(() => { s1.addWants(1) }).toThrow(expect.objectContaining({ name: 'ProtocolError', message: expect.stringContaining('on one stream') }))
    s2.addWants(MAX_PENDING_WANTS_PER_PEER - MAX_PENDING_WANTS_PER_STREAM)
    expect(() => { s3.addWants(1) }).toThrow(expect.objectContaining({ name: 'ProtocolError', message: expect.stringContaining('from one peer') }))
    expect(limits.peerStats('a').wants).toBe(MAX_PENDING_WANTS_PER_PEER)
    s1.removeWants(10)
    s3.addWants(10) // room again, on any stream of the peer
    expect(s1.wants + s2.wants + s3.wants).toBe(MAX_PENDING_WANTS_PER_PEER)

    let peer = 0
    while (limits.stats().wants + MAX_PENDING_WANTS_PER_STREAM <= MAX_PENDING_WANTS_TOTAL) limits.openStream(`p${peer++}`).addWants(MAX_PENDING_WANTS_PER_STREAM)
    const last = limits.openStream('last')
    const room = MAX_PENDING_WANTS_TOTAL - limits.stats().wants
    expect(() => { last.addWants(room + 1) }).toThrow(expect.objectContaining({ name: 'ServeLimitError', message: expect.stringContaining('from all peers') }))
    expect(last.wants).toBe(0)
    last.addWants(room)
    expect(limits.stats().wants).toBe(MAX_PENDING_WANTS_TOTAL)
  })

  it('release gives back the stream\'s wants; removing more than it holds is clamped', () => {
    const limits = new ServeLimits({ maxWantsPerStream: 8 })
    const s = limits.openStream('a')
    s.addWants(5)
    s.removeWants(7)
    expect(s.wants).toBe(0)
    s.addWants(8)
    s.release()
    expect(limits.stats()).toEqual({ streams: 0, wants: 0, peers: 0 })
    s.removeWants(3) // after release: nothing moves
    expect(limits.stats().wants).toBe(0)
    expect(() => { s.addWants(1) }).toThrow(expect.objectContaining({ name: 'ProtocolError' }))
  })
})

describe('WantQueue', () => {
  const cid = (n: number): CID => CID.createV1(raw.code, identity.digest(Uint8Array.of(n)))

  it('cancel removes the first queued occurrence of each CID and ignores the rest', () => {
    const queue = new WantQueue()
    queue.push([cid(1), cid(2), cid(1), cid(3), cid(1)])
    expect(queue.shift()?.equals(cid(1))).toBe(true) // being answered: out of reach of a cancel
    expect(queue.cancel([cid(1), cid(9)])).toBe(1) // the first queued 1; 9 was never wanted
    expect(queue.cancel([cid(2), cid(2)])).toBe(1) // a second 2 is not queued
    expect([queue.shift(), queue.shift()].map(c => c?.toString())).toEqual([cid(3), cid(1)].map(String)) // the later 1 stays, after 3
    expect(queue.length).toBe(0)
    queue.push([cid(4), cid(4)])
    expect(queue.cancel([cid(4), cid(4), cid(4)])).toBe(2)
    queue.push([cid(5)])
    expect(queue.clear()).toBe(1)
  })
})

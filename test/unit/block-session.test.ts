import { streamPair } from '@libp2p/utils'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { decodeRequests, encodeBlock, encodeDontHave } from '../../app/core/protocol/block-codec.ts'
import { BlockSession } from '../../app/core/transfer/block-session.ts'
import type { RequestMessage } from '../../app/core/protocol/block-codec.ts'
import type { Stream } from '@libp2p/interface'

async function block (n: number): Promise<{ cid: CID, bytes: Uint8Array }> {
  const bytes = Uint8Array.of(n, n, n)
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
}

/** The client session at one end; at the other, a hand-driven sharer that reads requests as they come. */
async function session () {
  const [client, server] = await streamPair()
  const events: string[] = []
  let closed: { err?: Error, outstanding: CID[] } | undefined
  const s = new BlockSession('sharer', client, {
    onBlock: cid => { events.push(`block ${cid}`) },
    onDontHave: cid => { events.push(`dont-have ${cid}`) },
    onClose: (err, outstanding) => { closed = { err, outstanding } }
  })
  const requests: RequestMessage[] = []
  void (async () => { for await (const m of decodeRequests(server)) requests.push(m) })().catch(() => {})
  return { s, server: server as Stream, events, requests, closed: () => closed }
}

describe('block session', () => {
  it('several wants in flight at once; answers in order are delivered', async () => {
    const { s, server, events, requests } = await session()
    const [a, b, c] = await Promise.all([block(1), block(2), block(3)])
    s.want([a.cid, b.cid, c.cid])
    expect(s.inFlight).toBe(3)
    await expect.poll(() => requests.length).toBe(1)
    server.send(encodeBlock(a.cid, a.bytes))
    server.send(encodeDontHave(b.cid))
    server.send(encodeBlock(c.cid, c.bytes))
    await expect.poll(() => events.length).toBe(3)
    expect(events).toEqual([`block ${a.cid}`, `dont-have ${b.cid}`, `block ${c.cid}`])
    expect(s.inFlight).toBe(0)
  })

  it('cancelling every want and closing at once still sends the CANCEL before the close (a sharer answers what it holds on a clean close)', async () => {
    const { s, requests } = await session()
    const [a, b] = await Promise.all([block(1), block(2)])
    s.want([a.cid, b.cid])
    s.cancel([a.cid, b.cid])
    s.close()
    await expect.poll(() => requests.map(r => r.type)).toEqual(['want', 'cancel'])
    expect(requests[1]).toMatchObject({ type: 'cancel', cids: [a.cid, b.cid] })
  })

  it('a cancelled want is sent as CANCEL; the sharer may drop it or still answer it, and neither breaks the order', async () => {
    const { s, server, events, requests, closed } = await session()
    const [a, b, c, d] = await Promise.all([block(1), block(2), block(3), block(4)])
    s.want([a.cid, b.cid, c.cid, d.cid])
    s.cancel([b.cid, c.cid])
    expect(s.inFlight).toBe(2)
    await expect.poll(() => requests.map(r => r.type)).toEqual(['want', 'cancel'])
    expect(requests[1]).toMatchObject({ type: 'cancel', cids: [b.cid, c.cid] })
    server.send(encodeBlock(a.cid, a.bytes))
    server.send(encodeBlock(b.cid, b.bytes)) // crossed the cancel: arrives, and is not delivered
    server.send(encodeBlock(d.cid, d.bytes)) // c was dropped by the sharer
    await expect.poll(() => events.length).toBe(2)
    expect(events).toEqual([`block ${a.cid}`, `block ${d.cid}`])
    expect(s.inFlight).toBe(0)
    expect(closed()).toBeUndefined()
  })

  it('an answer out of order is a ProtocolError; what was owed is handed back', async () => {
    const { s, server, closed } = await session()
    const [a, b] = await Promise.all([block(1), block(2)])
    s.want([a.cid, b.cid])
    server.send(encodeBlock(b.cid, b.bytes))
    await expect.poll(() => closed()).toBeDefined()
    expect(closed()?.err?.name).toBe('ProtocolError')
    expect(closed()?.outstanding.map(String)).toEqual([a.cid.toString(), b.cid.toString()]) // both go back to the want list
  })

  it('the sharer ending the stream with answers owed is StreamTruncatedError, never the end of a file', async () => {
    const { s, server, closed } = await session()
    const a = await block(1)
    s.want([a.cid])
    await server.close()
    await expect.poll(() => closed()).toBeDefined()
    expect(closed()?.err?.name).toBe('StreamTruncatedError')
    expect(closed()?.outstanding.map(String)).toEqual([a.cid.toString()])
  })

  it('waitingFor grows while the next answer is overdue and restarts when it comes', async () => {
    const { s, server } = await session()
    const [a, b] = await Promise.all([block(1), block(2)])
    expect(s.waitingFor()).toBe(0)
    s.want([a.cid, b.cid])
    const later = performance.now() + 5_000
    expect(s.waitingFor(later)).toBeGreaterThanOrEqual(5_000)
    server.send(encodeBlock(a.cid, a.bytes))
    await expect.poll(() => s.inFlight).toBe(1)
    expect(s.waitingFor(later)).toBeLessThan(5_000 + 1) // measured from a's arrival now
  })
})

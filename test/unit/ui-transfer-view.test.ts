import { describe, expect, it } from 'vitest'
import type { PeerPath } from '../../app/core/network/connection-path.ts'
import { peerSources, shortCid, transferName } from '../../app/ui/transfer-view.ts'

const CID = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'

describe('transfer view', () => {
  it('names a row by its files, or by a short CID until they are known', () => {
    expect(transferName(CID, undefined)).toBe(shortCid(CID))
    expect(shortCid(CID)).toBe('bafkreig…4s52zy')
    expect(transferName(CID, [])).toBe('bafkreig…4s52zy')
    expect(transferName(CID, [{ path: 'a.mp4', size: 1, cid: CID }])).toBe('a.mp4')
    expect(transferName(CID, [{ path: 'album/a.jpg', size: 1, cid: CID }, { path: 'album/sub/b.jpg', size: 1, cid: CID }])).toBe('album (2 files)')
    expect(transferName(CID, [{ path: 'album/a.jpg', size: 1, cid: CID }, { path: 'b.jpg', size: 1, cid: CID }])).toBe('album/a.jpg and 1 more')
    expect(transferName(CID, [{ path: 'a.mp4', size: 1, cid: CID }, { path: 'b.txt', size: 1, cid: CID }, { path: 'c', size: 1, cid: CID }]))
      .toBe('a.mp4 and 2 more')
  })

  it('joins each peer\'s counts with its path, most blocks first', () => {
    const direct: PeerPath = { peer: 'p1', route: 'direct', local: 'host', remote: 'host', protocol: 'udp' }
    const turn: PeerPath = { peer: 'p2', route: 'turn', local: 'relay', remote: 'srflx', protocol: 'udp', relayProtocol: 'tls' }
    const rows = peerSources(
      [{ peer: 'p1', blocks: 3, bytes: 30 }, { peer: 'p2', blocks: 7, bytes: 70 }, { peer: 'p3', blocks: 3, bytes: 30 }],
      [direct, turn]
    )
    expect(rows.map(r => r.peer)).toEqual(['p2', 'p1', 'p3'])
    expect(rows[0]?.path).toBe(turn)
    expect(rows[1]?.path).toBe(direct)
    expect(rows[2]).not.toHaveProperty('path')
    expect(peerSources(undefined, undefined)).toEqual([])
  })
})

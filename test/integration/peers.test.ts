import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { webSockets } from '@libp2p/websockets'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHUNK_SIZE } from '../../app/core/constants.ts'
import { createPeer } from '../../app/core/index.ts'
import { MemoryStore } from '../../app/core/storage/memory-store.ts'
import { startTestRelay, type TestRelay } from '../helpers/relay-node.ts'
import { chunked, collect, patternBytes, sha256Hex } from '../helpers/bytes.ts'
import type { IceServersInit, Peer, PeerInit, PeerStatus } from '../../app/core/index.ts'
import type { PrivateKey } from '@libp2p/interface'

/**
 * Several Chiral peers in one Node process, meeting through the real relay node
 * (circuit relay v2 + kad-dht server over WebSockets). Node peers talk over
 * direct WebSocket connections instead of WebRTC, which the e2e tests cover.
 */
let relay: TestRelay
const peers: Peer[] = []

async function startPeer (options: { store?: MemoryStore, privateKey?: PrivateKey, via?: TestRelay, listen?: string[], ice?: IceServersInit, timeouts?: PeerInit['timeouts'] } = {}): Promise<Peer> {
  const store = options.store ?? new MemoryStore()
  const peer = await createPeer({
    store,
    shares: store,
    privateKey: options.privateKey ?? await generateKeyPair('Ed25519'),
    bootstrap: (options.via ?? relay).node.getMultiaddrs().map(String),
    allowPrivateAddresses: true,
    ...(options.ice != null ? { ice: options.ice } : {}),
    ...(options.timeouts != null ? { timeouts: options.timeouts } : {}),
    libp2p: {
      addresses: { listen: options.listen ?? ['/ip4/127.0.0.1/tcp/0/ws', '/p2p-circuit'] },
      transports: [webSockets(), circuitRelayTransport()]
    }
  })
  peers.push(peer)
  return peer
}

async function ready (peer: Peer): Promise<void> {
  if (peer.status === 'ready') return
  await new Promise<void>(resolve => {
    peer.addEventListener('status', (event: CustomEvent<PeerStatus>) => { if (event.detail === 'ready') resolve() })
  })
}

beforeAll(async () => {
  relay = await startTestRelay()
})

afterAll(async () => {
  await Promise.all(peers.map(async p => p.stop()))
  await relay?.stop()
})

describe('peers through a real relay', () => {
  it('shares a file on one peer and downloads it, verified, on two others', async () => {
    const [alice, bob, carol] = await Promise.all([startPeer(), startPeer(), startPeer()])
    await Promise.all([alice, bob, carol].map(ready))
    const bytes = patternBytes(CHUNK_SIZE * 6 + 99, 42)
    const shared = await alice.share([{ name: 'report.pdf', content: chunked(bytes) }])

    const providers: string[] = []
    for await (const provider of bob.findProviders(shared.cid)) providers.push(provider.peerId)
    expect(providers).toContain(alice.peerId)

    const fromBob = await bob.download(shared.cid)
    expect(fromBob.files).toEqual([{ path: 'report.pdf', size: bytes.byteLength, cid: shared.files[0]!.cid }])
    expect(await sha256Hex(await collect(bob.read(shared.cid, 'report.pdf')))).toBe(await sha256Hex(bytes))
    expect(bob.connections().some(c => c.remotePeer.toString() === alice.peerId && c.limits == null)).toBe(true)

    // Carol pastes the share link; Bob now provides too
    const fromCarol = await carol.download(`http://localhost:8080/#/${shared.cid}`)
    expect(fromCarol.blocksFetched).toBe(fromBob.blocksFetched)
    expect(await sha256Hex(await collect(carol.read(shared.cid, 'report.pdf')))).toBe(await sha256Hex(bytes))
  })

  it('rejects an invalid CID before any network traffic', async () => {
    const [dave] = await Promise.all([startPeer()])
    await expect(dave!.download('not-a-cid')).rejects.toHaveProperty('name', 'InvalidCidError')
  })

  it('reports NoProvidersError for content nobody has', async () => {
    const erin = await startPeer()
    await ready(erin)
    const unknown = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'
    const started = Date.now()
    await expect(erin.download(unknown)).rejects.toHaveProperty('name', 'NoProvidersError')
    expect(Date.now() - started).toBeLessThan(30_000)
  })

  it('a sharer found but reachable only through the relay: NoDirectConnectionError, within 20 s', async () => {
    // no direct address at all, only the relay reservation: like two browsers whose NATs defeat ICE
    const [hidden, frank] = await Promise.all([startPeer({ listen: ['/p2p-circuit'] }), startPeer()])
    await Promise.all([hidden, frank].map(ready))
    const shared = await hidden.share([{ name: 'secret.txt', content: chunked(patternBytes(1000, 7)) }])
    const started = Date.now()
    const err = await frank.download(shared.cid).then(() => undefined, (e: unknown) => e)
    expect(err).toHaveProperty('name', 'NoDirectConnectionError')
    expect(err).toHaveProperty('turnConfigured', false)
    expect(Date.now() - started).toBeLessThan(20_000)
  })

  it('a stopped share is not served to a peer that still finds its DHT record; shared again, it is', async () => {
    const [owner, hank] = await Promise.all([startPeer(), startPeer({ timeouts: { goneGraceMs: 3_000 } })])
    await Promise.all([owner, hank].map(ready))
    const bytes = patternBytes(CHUNK_SIZE * 2 + 5, 11)
    const shared = await owner.share([{ name: 'withdrawn.bin', content: chunked(bytes) }])
    await owner.library.stopSharing(shared.cid)
    const found: string[] = []
    for await (const provider of hank.findProviders(shared.cid)) found.push(provider.peerId)
    expect(found).toContain(owner.peerId) // a DHT record cannot be withdrawn
    const started = Date.now()
    const err = await hank.download(shared.cid).then(() => undefined, (e: unknown) => e)
    expect(err).toHaveProperty('name', 'NoProvidersError') // it answers DONT_HAVE: nobody shares it
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(await hank.library.list()).toEqual([expect.objectContaining({ cid: shared.cid, state: 'failed' })])

    await owner.library.shareAgain(shared.cid)
    hank.transfers.get(shared.cid)!.resume()
    await hank.transfers.get(shared.cid)!.done()
    expect(await sha256Hex(await collect(hank.read(shared.cid, 'withdrawn.bin')))).toBe(await sha256Hex(bytes))
  })

  it('a sharer whose tab closed (its DHT record outlives it): NoProvidersError, not a NAT problem', async () => {
    const [gone, gina] = await Promise.all([startPeer(), startPeer()])
    await Promise.all([gone, gina].map(ready))
    const shared = await gone.share([{ name: 'left.txt', content: chunked(patternBytes(1000, 9)) }])
    await gone.stop()
    const found: string[] = []
    for await (const provider of gina.findProviders(shared.cid)) found.push(provider.peerId)
    expect(found).toContain(gone.peerId) // the relay still names it
    const started = Date.now()
    await expect(gina.download(shared.cid)).rejects.toHaveProperty('name', 'NoProvidersError')
    expect(Date.now() - started).toBeLessThan(20_000)
  })

  it('asks the relay for its ICE servers again after the relay comes back (it may have a new TURN secret)', async () => {
    const key = await generateKeyPair('Ed25519')
    const first = await startTestRelay({ privateKey: key })
    const port = Number(new URL(first.url).port)
    let renewals = 0
    const henry = await startPeer({ via: first, ice: { servers: [], renew: async () => { renewals++; return { servers: [] } } } })
    await ready(henry)
    expect(renewals).toBe(0)
    const offline = new Promise<void>(resolve => {
      henry.addEventListener('status', (event: CustomEvent<PeerStatus>) => { if (event.detail === 'offline') resolve() })
    })
    await first.stop()
    await offline
    const again = await startTestRelay({ privateKey: key, port }) // same identity and address: the same relay, restarted
    try {
      await ready(henry)
      await expect.poll(() => renewals, { timeout: 5_000 }).toBe(1)
    } finally {
      await henry.stop()
      await again.stop()
    }
  }, 30_000)

  it('a download while the relay is down says so (RelayUnreachableError), not that nobody shares it', async () => {
    const own = await startTestRelay()
    const ida = await startPeer({ via: own })
    await ready(ida)
    const offline = new Promise<void>(resolve => {
      ida.addEventListener('status', (event: CustomEvent<PeerStatus>) => { if (event.detail === 'offline') resolve() })
    })
    await own.stop()
    await offline
    const cid = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'
    await expect(ida.download(cid)).rejects.toHaveProperty('name', 'RelayUnreachableError')
  }, 30_000)

  it('a share that would not fit is refused before a block is written, with what it needs and what is free', async () => {
    const store = new MemoryStore()
    const full = await createPeer({
      store,
      shares: store,
      privateKey: await generateKeyPair('Ed25519'),
      storage: { estimate: async () => ({ usage: 990_000, quota: 1_000_000 }) },
      libp2p: { addresses: { listen: [] }, transports: [webSockets()] }
    })
    peers.push(full)
    const file = new Blob([patternBytes(CHUNK_SIZE + 1, 4)])
    await expect(full.share([{ name: 'big.bin', content: file }])).rejects.toMatchObject({ name: 'QuotaExceededError', free: 10_000 })
    expect(await store.listShares()).toEqual([])
    expect((store as unknown as { blocks: Map<string, Uint8Array> }).blocks.size).toBe(0)
  })

  it('re-announces what it stores when it starts again', async () => {
    const store = new MemoryStore()
    const privateKey = await generateKeyPair('Ed25519')
    const first = await startPeer({ store, privateKey })
    await ready(first)
    const bytes = patternBytes(CHUNK_SIZE * 2 + 5, 3)
    const shared = await first.share([{ name: 'kept.bin', content: chunked(bytes) }])
    await first.stop()

    // a relay that has never heard of the share: only a re-announce can make it findable
    const fresh = await startTestRelay()
    try {
      const again = await startPeer({ store, privateKey, via: fresh })
      const fetcher = await startPeer({ via: fresh })
      await Promise.all([ready(again), ready(fetcher)])
      await expect.poll(async () => {
        for await (const provider of fetcher.findProviders(shared.cid)) if (provider.peerId === again.peerId) return true
        return false
      }, { timeout: 10_000 }).toBe(true)
      await fetcher.download(shared.cid)
      expect(await sha256Hex(await collect(fetcher.read(shared.cid, 'kept.bin')))).toBe(await sha256Hex(bytes))
    } finally {
      await Promise.all(peers.splice(0).map(async p => p.stop()))
      await fresh.stop()
    }
  })
})

import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { webSockets } from '@libp2p/websockets'
import { CID } from 'multiformats/cid'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHUNK_SIZE } from '../../app/core/constants.ts'
import { verifyBlock } from '../../app/core/content/verify-block.ts'
import { createPeer } from '../../app/core/index.ts'
import { MemoryStore } from '../../app/core/storage/memory-store.ts'
import { chunked, collect, patternBytes, sha256Hex } from '../helpers/bytes.ts'
import { Blocks, repeat } from '../helpers/dag-blocks.ts'
import { startTestRelay, type TestRelay } from '../helpers/relay-node.ts'
import type { Peer, PeerStatus } from '../../app/core/index.ts'

/**
 * Peers that lie, through the public API: a real relay, real libp2p peers in
 * this process, and block stores that answer with wrong bytes or hand-built
 * hostile DAGs. A download must finish from an honest peer or fail fast with
 * the right error, and never store a block that does not match its CID.
 */
let relay: TestRelay
const peers: Peer[] = []
/** Long enough that a test passing quickly proves the failure did not wait for it. */
const GRACE_MS = 60_000

/** Answers raw leaves with one byte flipped: right framing, right CID label, wrong bytes. */
class LyingStore extends MemoryStore {
  override async get (cid: CID): Promise<Uint8Array> {
    const real = await super.get(cid)
    if (cid.code !== 0x55) return real
    const bad = real.slice()
    bad[0] = (bad[0] ?? 0) ^ 0xff
    return bad
  }
}

async function startPeer (store = new MemoryStore()): Promise<Peer> {
  const peer = await createPeer({
    store,
    shares: store,
    privateKey: await generateKeyPair('Ed25519'),
    bootstrap: relay.node.getMultiaddrs().map(String),
    allowPrivateAddresses: true,
    timeouts: { goneGraceMs: GRACE_MS },
    libp2p: {
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0/ws', '/p2p-circuit'] },
      transports: [webSockets(), circuitRelayTransport()]
    }
  })
  peers.push(peer)
  if (peer.status !== 'ready') {
    await new Promise<void>(resolve => {
      peer.addEventListener('status', (event: CustomEvent<PeerStatus>) => { if (event.detail === 'ready') resolve() })
    })
  }
  return peer
}

/** A peer that serves hand-built blocks under `root` and announces it (a complete record is re-announced at start). */
async function startHostile (blocks: Blocks, root: CID): Promise<Peer> {
  const store = new MemoryStore()
  for (const [key, bytes] of blocks.map) await store.put(CID.parse(key), bytes)
  await store.putShare({ cid: root.toString(), files: [], totalBytes: 0, origin: 'shared', complete: true, updatedAt: Date.now() })
  return startPeer(store)
}

async function everyStoredBlockVerifies (store: MemoryStore): Promise<void> {
  const blocks = (store as unknown as { blocks: Map<string, Uint8Array> }).blocks
  for (const [key, bytes] of blocks) await verifyBlock(CID.parse(key), bytes)
}

async function announced (downloader: Peer, cid: string, provider: Peer): Promise<void> {
  await expect.poll(async () => {
    for await (const found of downloader.findProviders(cid)) if (found.peerId === provider.peerId) return true
    return false
  }, { timeout: 10_000 }).toBe(true)
}

beforeAll(async () => {
  relay = await startTestRelay()
})

afterAll(async () => {
  await Promise.all(peers.map(async p => p.stop()))
  await relay?.stop()
})

describe('a provider that lies', () => {
  it('wrong bytes from one provider: the download finishes from the honest one, the liar is named, nothing bad is stored', async () => {
    const bytes = patternBytes(CHUNK_SIZE * 12 + 99, 21)
    const liarStore = new LyingStore()
    const [liar, honest] = await Promise.all([startPeer(liarStore), startPeer()])
    const input = () => [{ name: 'report.pdf', content: chunked(bytes) }]
    const { cid } = await liar.share(input())
    expect((await honest.share(input())).cid).toBe(cid)
    const store = new MemoryStore()
    const downloader = await startPeer(store)
    await Promise.all([announced(downloader, cid, liar), announced(downloader, cid, honest)])
    const warnings: string[] = []
    downloader.addEventListener('warning', event => { warnings.push(event.detail.message) })
    const result = await downloader.download(cid)
    expect(await sha256Hex(await collect(downloader.read(cid, 'report.pdf')))).toBe(await sha256Hex(bytes))
    await everyStoredBlockVerifies(store)
    const liarServed = result.sources.find(s => s.peer === liar.peerId)?.blocks ?? 0
    if (liarServed === 0 && warnings.every(w => !w.includes(liar.peerId))) return // the honest peer was faster for every block: nothing to blame
    expect(warnings.some(w => w.includes(liar.peerId) && w.includes('did not match'))).toBe(true)
  })

  it('only wrong bytes: BlockVerificationError long before the grace time, nothing bad stored', async () => {
    const liarStore = new LyingStore()
    const liar = await startPeer(liarStore)
    const { cid } = await liar.share([{ name: 'only-liar.bin', content: chunked(patternBytes(CHUNK_SIZE * 3, 5)) }])
    const store = new MemoryStore()
    const downloader = await startPeer(store)
    await announced(downloader, cid, liar)
    const started = Date.now()
    await expect(downloader.download(cid)).rejects.toHaveProperty('name', 'BlockVerificationError')
    expect(Date.now() - started).toBeLessThan(GRACE_MS / 4)
    await everyStoredBlockVerifies(store)
  })

  it('a DAG repeating one link 1,000 times, 3 deep: DagLimitError at once, no stack overflow, nothing bad stored', async () => {
    const blocks = new Blocks()
    const leaf = await blocks.raw(patternBytes(CHUNK_SIZE, 8))
    const level1 = await blocks.file(repeat({ cid: leaf.cid, size: CHUNK_SIZE }, 1000))
    const level2 = await blocks.file(repeat({ cid: level1.cid, size: CHUNK_SIZE * 1000 }, 1000))
    const root = await blocks.file(repeat({ cid: level2.cid, size: CHUNK_SIZE * 1_000_000 }, 1000))
    const hostile = await startHostile(blocks, root.cid)
    const store = new MemoryStore()
    const downloader = await startPeer(store)
    await announced(downloader, root.cid.toString(), hostile)
    const started = Date.now()
    await expect(downloader.download(root.cid.toString())).rejects.toMatchObject({ name: 'DagLimitError', limit: 'bytes' })
    expect(Date.now() - started).toBeLessThan(10_000)
    await everyStoredBlockVerifies(store)
  })

  it('a file claiming 2^50 bytes over one small leaf: MalformedDagError, never shown as complete', async () => {
    const blocks = new Blocks()
    const leaf = await blocks.raw(patternBytes(1000, 3))
    const root = await blocks.file([{ cid: leaf.cid, size: 2 ** 50 }])
    const hostile = await startHostile(blocks, root.cid)
    const downloader = await startPeer()
    await announced(downloader, root.cid.toString(), hostile)
    await expect(downloader.download(root.cid.toString())).rejects.toHaveProperty('name', 'MalformedDagError')
    expect(downloader.transfers.get(root.cid.toString())?.state).toBe('failed')
  })
})

import { multiaddr } from '@multiformats/multiaddr'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterEach, describe, expect, it } from 'vitest'
import { createBrowserLikePeer, reservation } from '../helpers/browser-like-peer.ts'
import { startTestRelay, type TestRelay } from '../helpers/relay-node.ts'
import type { Libp2p } from 'libp2p'

/**
 * The relay's bounds seen from honest peers: normal traffic never reaches the
 * WebSocket message bound, and DHT provider records are bounded per peer and
 * expire. In-process relay (the same assembly as `npm start`), real peers.
 */
const STEP_TIMEOUT_MS = 10_000
/** The largest message libp2p sends over a WebSocket: one noise frame (2-byte length + 65,535 bytes). */
const LARGEST_NOISE_FRAME = 2 + 65_535
const ECHO = '/chiral/test/echo/1.0.0'

let relay: TestRelay | undefined
const peers: Libp2p[] = []

afterEach(async () => {
  await Promise.all(peers.splice(0).map(async p => p.stop()))
  await relay?.stop()
  relay = undefined
})

async function peerOn (target: TestRelay): Promise<Libp2p> {
  const peer = await createBrowserLikePeer()
  peers.push(peer)
  await peer.dial(target.node.getMultiaddrs()[0]!, { signal: AbortSignal.timeout(STEP_TIMEOUT_MS) })
  await reservation(peer, AbortSignal.timeout(STEP_TIMEOUT_MS))
  return peer
}

async function cidOf (text: string): Promise<CID> {
  return CID.createV1(raw.code, await sha256.digest(new TextEncoder().encode(text)))
}

async function providersOf (peer: Libp2p, cid: CID): Promise<string[]> {
  const found: string[] = []
  try {
    for await (const provider of peer.contentRouting.findProviders(cid, { signal: AbortSignal.timeout(STEP_TIMEOUT_MS) })) found.push(provider.id.toString())
  } catch (err) {
    // kad-dht ends a lookup that found nobody with an error
    if ((err as Error).name !== 'NotFoundError') throw err
  }
  return found
}

describe('relay bounds, as honest peers see them', { timeout: 30_000 }, () => {
  it('a 1 MiB write reaches the relay whole: libp2p never sends a WebSocket message over one noise frame', async () => {
    // the bound set exactly at the largest frame: one byte more in any message would kill the connection
    relay = await startTestRelay({ limits: { maxMessageBytes: LARGEST_NOISE_FRAME } })
    await relay.node.handle(ECHO, stream => {
      stream.addEventListener('message', evt => { stream.send(evt.data) })
      stream.addEventListener('remoteCloseWrite', () => { void stream.close() })
    })
    const peer = await createBrowserLikePeer()
    peers.push(peer)
    const stream = await peer.dialProtocol(multiaddr(relay.node.getMultiaddrs()[0]!.toString()), ECHO, { signal: AbortSignal.timeout(STEP_TIMEOUT_MS) })
    const payload = new Uint8Array(1024 * 1024).map((_, i) => i * 7)
    let received = 0
    const echoed = new Promise<void>((resolve, reject) => {
      stream.addEventListener('message', evt => {
        received += evt.data.byteLength
        if (received >= payload.byteLength) resolve()
      })
      stream.addEventListener('close', evt => {
        if (received < payload.byteLength) reject(evt.error ?? new Error(`the stream closed after ${received} bytes`))
      })
    })
    stream.send(payload)
    await echoed
    expect(received).toBe(payload.byteLength)
  })

  it('stores at most --max-providers-per-peer records of one peer', async () => {
    relay = await startTestRelay({ limits: { maxProvidersPerPeer: 2 } })
    const [alice, bob] = [await peerOn(relay), await peerOn(relay)]
    const cids = await Promise.all(['one', 'two', 'three'].map(async t => await cidOf(`bounded ${t} ${Date.now()}`)))
    for (const cid of cids) {
      // the third is refused by the relay (kad-dht then resets alice's stream); alice may or may not hear of it
      await alice.contentRouting.provide(cid, { signal: AbortSignal.timeout(STEP_TIMEOUT_MS) }).catch(() => {})
    }
    expect(await providersOf(bob, cids[0]!)).toEqual([alice.peerId.toString()])
    expect(await providersOf(bob, cids[1]!)).toEqual([alice.peerId.toString()])
    expect(await providersOf(bob, cids[2]!)).toEqual([])
  })

  it('forgets a provider record that is not announced again within --provider-ttl', async () => {
    const ttlMs = 1_000
    let expired: (peer: string) => void = () => {}
    const expiry = new Promise<string>(resolve => { expired = resolve })
    relay = await startTestRelay({ limits: { providerTtlMs: ttlMs }, onProviderRemoved: (_cid, peer) => { expired(peer) } })
    const [alice, bob] = [await peerOn(relay), await peerOn(relay)]
    const cid = await cidOf(`expiring ${Date.now()}`)
    const provided = Date.now()
    await alice.contentRouting.provide(cid, { signal: AbortSignal.timeout(STEP_TIMEOUT_MS) })
    expect(await providersOf(bob, cid)).toEqual([alice.peerId.toString()])
    // the relay's sweep deletes it within TTL + one sweep interval; the test waits for that deletion
    expect(await expiry).toBe(alice.peerId.toString())
    expect(Date.now() - provided).toBeGreaterThanOrEqual(ttlMs)
    expect(await providersOf(bob, cid)).toEqual([])
  })
})

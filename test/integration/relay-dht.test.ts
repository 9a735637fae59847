import { multiaddr } from '@multiformats/multiaddr'
import type { Libp2p } from 'libp2p'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import * as raw from 'multiformats/codecs/raw'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bootstrapInfo } from '../../relay/bootstrap-info.ts'
import { createBrowserLikePeer, reservation } from '../helpers/browser-like-peer.ts'
import { startTestRelay, type TestRelay } from '../helpers/relay-node.ts'
import type { RelayNode } from '../../relay/libp2p.ts'

/** Several network steps, each bounded by STEP_TIMEOUT_MS. */
const DHT_TEST_TIMEOUT_MS = 30_000

const STEP_TIMEOUT_MS = 10_000

describe('relay node: DHT and circuit relay for local peers', { timeout: DHT_TEST_TIMEOUT_MS }, () => {
  let running: TestRelay
  let relay: RelayNode
  let alice: Libp2p
  let bob: Libp2p

  beforeAll(async () => {
    running = await startTestRelay()
    relay = running.node
    ;[alice, bob] = await Promise.all([createBrowserLikePeer(), createBrowserLikePeer()])
  })

  afterAll(async () => {
    await Promise.all([alice?.stop(), bob?.stop(), running?.stop()])
  })

  it('is a DHT server that local peers reach through its bootstrap address', async () => {
    expect(relay.services.dht.getMode()).toBe('server')
    const info = bootstrapInfo(relay.peerId.toString(), relay.getMultiaddrs())
    expect(info.allowPrivateAddresses).toBe(true)
    const [addr] = info.multiaddrs
    expect(addr).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/ws\/p2p\/12D3/)
    await Promise.all([alice.dial(multiaddr(addr)), bob.dial(multiaddr(addr))])
    await Promise.all([
      reservation(alice, AbortSignal.timeout(STEP_TIMEOUT_MS)),
      reservation(bob, AbortSignal.timeout(STEP_TIMEOUT_MS))
    ])
  })

  it('lets one peer provide a CID and another find it, with a dialable relayed address', async () => {
    const cid = CID.createV1(raw.code, await sha256.digest(new TextEncoder().encode(`chiral ${Date.now()}`)))
    await alice.contentRouting.provide(cid, { signal: AbortSignal.timeout(STEP_TIMEOUT_MS) })

    let found
    for await (const provider of bob.contentRouting.findProviders(cid, { signal: AbortSignal.timeout(STEP_TIMEOUT_MS) })) {
      if (provider.id.equals(alice.peerId)) {
        found = provider
        break
      }
    }
    expect(found).toBeDefined()
    const circuitAddr = found?.multiaddrs.map(String).find(a => a.includes('/p2p-circuit'))
    expect(circuitAddr).toBeDefined()

    // the relayed connection stays limited: bulk data must go over a direct connection
    const connection = await bob.dial(multiaddr(circuitAddr), { signal: AbortSignal.timeout(STEP_TIMEOUT_MS) })
    expect(connection.remotePeer.equals(alice.peerId)).toBe(true)
    expect(connection.limits).toBeDefined()
  })

  it('frees a reservation as soon as its peer disconnects, not after the 2 h TTL', async () => {
    expect(relay.services.relay.reservations.has(bob.peerId)).toBe(true)
    const gone = new Promise<void>(resolve => {
      relay.addEventListener('peer:disconnect', evt => { if (evt.detail.equals(bob.peerId)) resolve() })
    })
    await bob.stop()
    await gone
    expect(relay.services.relay.reservations.has(bob.peerId)).toBe(false)
    expect(relay.services.relay.reservations.has(alice.peerId)).toBe(true)
  })
})

import { describe, expect, it } from 'vitest'
import type { Peer, PeerStatus } from '../../app/core/types.ts'
import { afterStartUp } from '../../app/ui/kernel/after-start-up.ts'
import { createBoot } from '../../app/ui/kernel/boot.ts'
import type { BootstrapInfo } from '../../app/ui/kernel/bootstrap.ts'

const INFO: BootstrapInfo = { peerId: '12D3KooWRelay', multiaddrs: [], allowPrivateAddresses: true, iceServers: [] }

/** A peer whose relay status the test moves. */
function fakePeer () {
  const events = new EventTarget()
  return {
    status: 'connecting' as PeerStatus,
    addEventListener: events.addEventListener.bind(events),
    removeEventListener: events.removeEventListener.bind(events),
    set (status: PeerStatus) { this.status = status; events.dispatchEvent(new CustomEvent('status', { detail: status })) }
  }
}

async function settledYet (promise: Promise<void>): Promise<boolean> {
  let done = false
  void promise.then(() => { done = true })
  await new Promise(resolve => { setImmediate(resolve) }) // everything already due has run: not settled now means still waiting
  return done
}

describe('after start-up (when the service worker is registered)', () => {
  it('waits while the peer starts and connects to the relay, and resolves once it is ready', async () => {
    const peer = fakePeer()
    let created!: (p: Peer) => void
    const boot = createBoot({ fetchBootstrap: async () => INFO, loadPeer: async () => async () => new Promise<Peer>(resolve => { created = resolve }) })
    void boot.start()
    const after = afterStartUp(boot)
    expect(await settledYet(after)).toBe(false) // the peer is being created
    created(peer as unknown as Peer)
    expect(await settledYet(after)).toBe(false) // connecting to the relay
    peer.set('ready')
    expect(await settledYet(after)).toBe(true)
  })

  it('resolves when the relay cannot be reached, or the first start failed', async () => {
    const peer = fakePeer()
    const offline = createBoot({ fetchBootstrap: async () => INFO, loadPeer: async () => async () => peer as unknown as Peer })
    void offline.start()
    const afterOffline = afterStartUp(offline)
    await Promise.resolve()
    peer.set('offline')
    expect(await settledYet(afterOffline)).toBe(true)

    const warn = console.warn
    console.warn = () => {}
    try {
      const failed = createBoot({ fetchBootstrap: async () => INFO, loadPeer: async () => { throw new TypeError('Failed to fetch dynamically imported module') } })
      await failed.start()
      expect(await settledYet(afterStartUp(failed))).toBe(true)
    } finally {
      console.warn = warn
    }
  })
})

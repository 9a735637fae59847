import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { RelayUnreachableError } from '../../app/core/errors.ts'
import { BOOT_RETRY_FIRST_MS, BOOT_RETRY_MAX_MS, createBoot } from '../../app/ui/kernel/boot.ts'
import type { BootstrapInfo } from '../../app/ui/kernel/bootstrap.ts'
import type { Peer } from '../../app/core/types.ts'

const INFO: BootstrapInfo = { peerId: '12D3KooWRelay', multiaddrs: [], allowPrivateAddresses: true, iceServers: [] }
const PEER = { peerId: 'me' } as unknown as Peer

/** A relay that is down for the first `failures` requests. */
function relayDownFor (failures: number) {
  const calls: number[] = []
  return {
    calls,
    fetchBootstrap: async (): Promise<BootstrapInfo> => {
      calls.push(Date.now())
      if (calls.length <= failures) throw new RelayUnreachableError(new Error('connection refused'))
      return INFO
    },
    loadPeer: async () => async () => PEER
  }
}

describe('start-up while the relay is down', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    vi.spyOn(console, 'warn').mockImplementation(() => {}) // each failed start is logged
  })
  afterEach(() => {
    vi.useRealTimers()
    vi.restoreAllMocks()
  })

  it('keeps trying by itself with growing waits, and starts once the relay answers', async () => {
    const relay = relayDownFor(3)
    const boot = createBoot(relay)
    await boot.start()
    expect(boot.phase()).toBe('failed')
    expect((boot.error() as Error).name).toBe('RelayUnreachableError')
    await vi.advanceTimersByTimeAsync(BOOT_RETRY_FIRST_MS)
    expect(relay.calls).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(BOOT_RETRY_FIRST_MS) // the second wait is twice as long: not yet
    expect(relay.calls).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(BOOT_RETRY_FIRST_MS)
    expect(relay.calls).toHaveLength(3)
    await vi.advanceTimersByTimeAsync(4 * BOOT_RETRY_FIRST_MS)
    expect(relay.calls).toHaveLength(4)
    expect(boot.phase()).toBe('running')
    expect(boot.peer()).toBe(PEER)
    await vi.advanceTimersByTimeAsync(10 * BOOT_RETRY_MAX_MS)
    expect(relay.calls).toHaveLength(4) // nothing more once running
  })

  it('the waits stop growing at BOOT_RETRY_MAX_MS', async () => {
    const relay = relayDownFor(100)
    const boot = createBoot(relay)
    await boot.start()
    await vi.advanceTimersByTimeAsync(10 * BOOT_RETRY_MAX_MS)
    const gaps = relay.calls.slice(1).map((at, i) => at - (relay.calls[i] as number))
    expect(Math.max(...gaps)).toBe(BOOT_RETRY_MAX_MS)
    expect(boot.phase()).toBe('failed')
  })

  it('Retry starts at once and does not stack a second timer', async () => {
    const relay = relayDownFor(1)
    const boot = createBoot(relay)
    await boot.start()
    await boot.start() // the person pressed Retry
    expect(boot.phase()).toBe('running')
    await vi.advanceTimersByTimeAsync(BOOT_RETRY_MAX_MS)
    expect(relay.calls).toHaveLength(2)
  })

  it('a failure that is not the relay is not retried by itself', async () => {
    const boot = createBoot({ fetchBootstrap: async () => INFO, loadPeer: async () => async () => { throw new Error('IndexedDB is disabled') } })
    await boot.start()
    expect(boot.phase()).toBe('failed')
    await vi.advanceTimersByTimeAsync(BOOT_RETRY_MAX_MS)
    expect(boot.phase()).toBe('failed')
  })
})

describe('start-up loads the peer\'s code beside /bootstrap.json', () => {
  beforeEach(() => { vi.spyOn(console, 'warn').mockImplementation(() => {}) })
  afterEach(() => { vi.restoreAllMocks() })

  it('asks for the code before the relay has answered, and creates the peer once both are there', async () => {
    const order: string[] = []
    let answer!: (info: BootstrapInfo) => void
    let loaded!: (create: (init: unknown) => Promise<Peer>) => void
    const boot = createBoot({
      fetchBootstrap: async () => { order.push('fetch'); return new Promise(resolve => { answer = resolve }) },
      loadPeer: async () => { order.push('load'); return new Promise(resolve => { loaded = resolve }) }
    })
    const started = boot.start()
    await Promise.resolve()
    expect(order).toEqual(['load', 'fetch']) // both under way at once
    answer(INFO)
    await vi.waitFor(() => { expect(boot.phase()).toBe('starting') })
    const inits: unknown[] = []
    loaded(async init => { inits.push(init); return PEER })
    await started
    expect(boot.phase()).toBe('running')
    expect(boot.peer()).toBe(PEER)
    expect(inits).toEqual([expect.objectContaining({ bootstrap: INFO.multiaddrs, allowPrivateAddresses: true })])
  })

  it('code that cannot load fails the start with its own error, and Retry loads it again', async () => {
    let loads = 0
    const boot = createBoot({
      fetchBootstrap: async () => INFO,
      loadPeer: async () => {
        loads++
        if (loads === 1) throw new TypeError('Failed to fetch dynamically imported module')
        return async () => PEER
      }
    })
    await boot.start()
    expect(boot.phase()).toBe('failed')
    expect((boot.error() as Error).name).toBe('TypeError')
    await boot.start()
    expect(loads).toBe(2)
    expect(boot.phase()).toBe('running')
  })

  it('a relay that does not answer is the error reported, even when the code failed too', async () => {
    const boot = createBoot({
      fetchBootstrap: async () => { throw new RelayUnreachableError(new Error('connection refused')) },
      loadPeer: async () => { throw new TypeError('Failed to fetch dynamically imported module') }
    })
    vi.useFakeTimers()
    try {
      await boot.start()
      expect((boot.error() as Error).name).toBe('RelayUnreachableError')
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('start-up opens IndexedDB beside the code and /bootstrap.json', () => {
  it('opens the store before the code has loaded, hands that one to the peer, and keeps it for a retry', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const store = { name: 'idb' } as never
    const opened: number[] = []
    let loaded!: (create: (init: { idb?: Promise<unknown> }) => Promise<Peer>) => void
    const code = new Promise(resolve => { loaded = resolve as never })
    const inits: Array<{ idb?: Promise<unknown> }> = []
    let attempts = 0
    const boot = createBoot({
      fetchBootstrap: async () => INFO,
      loadPeer: async () => code as never,
      openStore: async () => { opened.push(Date.now()); return store }
    })
    const started = boot.start()
    await Promise.resolve()
    expect(opened).toHaveLength(1) // while the code is still loading
    loaded(async init => {
      inits.push(init)
      if (++attempts === 1) throw new Error('IndexedDB is disabled')
      return PEER
    })
    await started
    expect(boot.phase()).toBe('failed')
    await boot.start()
    expect(boot.phase()).toBe('running')
    expect(opened).toHaveLength(1)
    expect(await inits[0]!.idb).toBe(store)
    expect(await inits[1]!.idb).toBe(store)
    vi.restoreAllMocks()
  })
})

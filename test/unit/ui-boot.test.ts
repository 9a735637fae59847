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
    createPeer: async () => PEER
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
    const boot = createBoot({ fetchBootstrap: async () => INFO, createPeer: async () => { throw new Error('IndexedDB is disabled') } })
    await boot.start()
    expect(boot.phase()).toBe('failed')
    await vi.advanceTimersByTimeAsync(BOOT_RETRY_MAX_MS)
    expect(boot.phase()).toBe('failed')
  })
})

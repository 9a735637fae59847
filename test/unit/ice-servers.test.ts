import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { IceServerSource, type IssuedIceServers } from '../../app/core/network/ice-servers.ts'

const HOUR = 3_600_000
const turn = (n: number): IssuedIceServers => ({ servers: [{ urls: ['turn:t.example:3478'], username: `u${n}`, credential: `c${n}` }], ttlMs: 24 * HOUR })

describe('IceServerSource', () => {
  beforeEach(() => { vi.useFakeTimers() })
  afterEach(() => { vi.useRealTimers() })

  it('always names its servers, an empty list included (never a library default)', async () => {
    expect(await new IceServerSource().rtcConfiguration()).toEqual({ iceServers: [] })
  })

  it('renews TURN credentials when half their lifetime has passed, again and again, for a tab open for days', async () => {
    let n = 0
    const renew = vi.fn(async () => turn(++n))
    const source = new IceServerSource({ ...turn(0), renew })
    source.start()
    expect((await source.rtcConfiguration()).iceServers?.[0]?.username).toBe('u0')
    await vi.advanceTimersByTimeAsync(12 * HOUR - 1)
    expect(renew).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(renew).toHaveBeenCalledTimes(1)
    expect((await source.rtcConfiguration()).iceServers?.[0]?.username).toBe('u1')
    await vi.advanceTimersByTimeAsync(3 * 24 * HOUR)
    expect(renew).toHaveBeenCalledTimes(7)
    expect(source.isExpired()).toBe(false)
    source.stop()
    await vi.advanceTimersByTimeAsync(24 * HOUR)
    expect(renew).toHaveBeenCalledTimes(7)
  })

  it('retries a failed renewal, keeping the old servers meanwhile, and reports it', async () => {
    const renew = vi.fn().mockRejectedValueOnce(new Error('relay down')).mockResolvedValue(turn(1))
    const source = new IceServerSource({ ...turn(0), renew })
    const warnings: Error[] = []
    source.onWarning = err => { warnings.push(err) }
    source.start()
    await vi.advanceTimersByTimeAsync(12 * HOUR)
    expect(warnings).toHaveLength(1)
    expect(source.current()[0]?.username).toBe('u0')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(source.current()[0]?.username).toBe('u1')
    source.stop()
  })

  it('a connection that finds the credentials expired (the laptop slept through the timer) waits for fresh ones', async () => {
    let now = 0
    const renew = vi.fn(async () => turn(1))
    const source = new IceServerSource({ ...turn(0), renew }, { now: () => now })
    now = 25 * HOUR // no timer ran
    expect(source.isExpired()).toBe(true)
    expect((await source.rtcConfiguration()).iceServers?.[0]?.username).toBe('u1')
    expect(renew).toHaveBeenCalledTimes(1)
  })

  it('concurrent connections share one renewal', async () => {
    let now = 0
    let release: (value: IssuedIceServers) => void = () => {}
    const renew = vi.fn(async () => await new Promise<IssuedIceServers>(resolve => { release = resolve }))
    const source = new IceServerSource({ ...turn(0), renew }, { now: () => now })
    now = 25 * HOUR
    const configs = [source.rtcConfiguration(), source.rtcConfiguration(), source.rtcConfiguration()]
    release(turn(2))
    expect((await Promise.all(configs)).map(c => c.iceServers?.[0]?.username)).toEqual(['u2', 'u2', 'u2'])
    expect(renew).toHaveBeenCalledTimes(1)
  })
})

describe('IceServerSource, when the relay withholds TURN', () => {
  beforeEach(() => { vi.useFakeTimers() })
  afterEach(() => { vi.useRealTimers() })

  it('keeps still-valid TURN credentials when a renewal comes back without TURN (over the minting rate), and asks again when told', async () => {
    const stunOnly: IssuedIceServers = { servers: [{ urls: ['stun:t.example:3478'] }], ttlMs: 600_000 }
    const renew = vi.fn().mockResolvedValueOnce(stunOnly).mockResolvedValue(turn(1))
    const source = new IceServerSource({ ...turn(0), renew })
    source.start()
    await vi.advanceTimersByTimeAsync(12 * HOUR)
    expect(renew).toHaveBeenCalledTimes(1)
    expect(source.current()[0]?.username).toBe('u0')
    expect(source.offersTurn()).toBe(true)
    await vi.advanceTimersByTimeAsync(600_000)
    expect(renew).toHaveBeenCalledTimes(2)
    expect(source.current()[0]?.username).toBe('u1')
    source.stop()
  })

  it('a dial does not wait the whole renewal timeout for fresh credentials', async () => {
    let now = 0
    const renew = vi.fn(async () => await new Promise<IssuedIceServers>(() => {})) // the relay never answers
    const source = new IceServerSource({ ...turn(0), renew }, { now: () => now })
    now = 25 * HOUR
    const config = source.rtcConfiguration()
    await vi.advanceTimersByTimeAsync(2_000)
    expect((await config).iceServers?.[0]?.username).toBe('u0')
  })
})

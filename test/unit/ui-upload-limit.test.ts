import { describe, expect, it, vi } from 'vitest'
import { errorText } from '../../app/ui/error-text.ts'
import { createErrorStore } from '../../app/ui/kernel/error-store.ts'
import { createUploadLimitStore, UPLOAD_LIMIT_KEY } from '../../app/ui/kernel/upload-limit-store.ts'
import { formatRate, MIN_UPLOAD_LIMIT, parseRate } from '../../app/ui/rate-input.ts'

/** A Storage over a Map. */
function memoryStorage (entries: Record<string, string> = {}): Storage {
  const map = new Map(Object.entries(entries))
  return {
    get length () { return map.size },
    key: i => [...map.keys()][i] ?? null,
    getItem: key => map.get(key) ?? null,
    setItem: (key, value) => { map.set(key, String(value)) },
    removeItem: key => { map.delete(key) },
    clear: () => { map.clear() }
  }
}

/** A peer's `setUploadLimit(bytesPerSecond | undefined)`, recording its calls. */
function limitingPeer () {
  const calls: Array<number | undefined> = []
  return { calls, setUploadLimit: (bytesPerSecond: number | undefined) => { calls.push(bytesPerSecond) } }
}

describe('upload limit text', () => {
  it('reads speeds in KB/s and MB/s (decimal, like the page), KiB and MiB, and "off"', () => {
    expect(parseRate('500 KB/s')).toBe(500_000)
    expect(parseRate('500kb')).toBe(500_000)
    expect(parseRate('500 kB/s')).toBe(500_000)
    expect(parseRate(' 2 MB/s ')).toBe(2_000_000)
    expect(parseRate('1,5 MB/s')).toBe(1_500_000)
    expect(parseRate('2.00 MB/s')).toBe(2_000_000)
    expect(parseRate('100 KiB/s')).toBe(102_400)
    expect(parseRate('1 MiB/s')).toBe(1_048_576)
    expect(parseRate('750')).toBe(750_000) // a bare number is KB/s
    for (const off of ['', 'off', 'Off', 'none', '0', '0 MB/s']) expect(parseRate(off)).toBeUndefined()
  })

  it('refuses what is not a speed, and speeds too small to serve anyone', () => {
    for (const bad of ['fast', '5 GB/s', '-3 MB/s', '1e9', '10 kbps', 'MB/s']) {
      expect(() => parseRate(bad), bad).toThrow(expect.objectContaining({ name: 'InvalidRateError' }))
    }
    expect(() => parseRate('10 KB/s')).toThrow(expect.objectContaining({ name: 'InvalidRateError' }))
    expect(parseRate(`${MIN_UPLOAD_LIMIT / 1000} KB/s`)).toBe(MIN_UPLOAD_LIMIT)
    let err: unknown
    try { parseRate('fast') } catch (e) { err = e }
    expect(errorText(err)).toMatch(/500 KB\/s .* "off"/)
  })

  it('shows a limit the way it reads it back', () => {
    expect(formatRate(undefined)).toBe('off')
    expect(formatRate(500_000)).toBe('500 kB/s')
    expect(parseRate(formatRate(2_500_000))).toBe(2_500_000)
  })
})

describe('upload limit store', () => {
  it('applies the remembered limit at start-up, and each change, and remembers it', () => {
    const storage = memoryStorage({ [UPLOAD_LIMIT_KEY]: '200000' })
    const peer = limitingPeer()
    const store = createUploadLimitStore(peer, createErrorStore(), storage)
    expect(peer.calls).toEqual([200_000])
    expect(store.limit()).toBe(200_000)
    store.set(1_000_000)
    store.set(undefined)
    expect(peer.calls).toEqual([200_000, 1_000_000, undefined])
    expect(storage.getItem(UPLOAD_LIMIT_KEY)).toBeNull()
    store.set(300_000)
    expect(storage.getItem(UPLOAD_LIMIT_KEY)).toBe('300000')
  })

  it('with no limit remembered, leaves the peer as it started', () => {
    const peer = limitingPeer()
    const store = createUploadLimitStore(peer, createErrorStore(), memoryStorage({ [UPLOAD_LIMIT_KEY]: 'nonsense' }))
    expect(peer.calls).toEqual([])
    expect(store.limit()).toBeUndefined()
  })

  it('reports a limit the core refuses, and works without storage', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const errors = createErrorStore()
    const refusal = new RangeError('too small')
    const store = createUploadLimitStore({ setUploadLimit: () => { throw refusal } }, errors, undefined)
    store.set(60_000)
    expect(errors.error()).toBe(refusal)
    vi.restoreAllMocks()
  })
})

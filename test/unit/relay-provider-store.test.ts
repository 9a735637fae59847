import { Key } from 'interface-datastore'
import { describe, expect, it } from 'vitest'
import { ProviderRecordStore } from '../../relay/provider-store.ts'

const CID_A = 'ciqaaaa'
const CID_B = 'ciqbbbb'
const value = (n: number): Uint8Array => Uint8Array.of(n)
const providerKey = (cid: string, peer: string): Key => new Key(`/dht/provider/${cid}/${peer}`)

function store (bounds: { maxPerPeer?: number, maxPerIp?: number, maxTotal?: number } = {}, ips: Record<string, string> = {}): ProviderRecordStore {
  return new ProviderRecordStore({
    maxPerPeer: bounds.maxPerPeer ?? 100,
    maxPerIp: bounds.maxPerIp ?? 100,
    maxTotal: bounds.maxTotal ?? 100,
    ipOfPeer: peer => ips[peer]
  })
}

async function keysUnder (s: ProviderRecordStore, prefix: string): Promise<string[]> {
  const keys: string[] = []
  for await (const pair of s.query({ prefix })) keys.push(pair.key.toString())
  return keys.sort()
}

function refusal (fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    expect((err as Error).name).toBe('ProviderLimitError')
    return (err as Error).message
  }
  throw new Error('expected a ProviderLimitError')
}

describe('ProviderRecordStore', () => {
  it('stores, reads and deletes provider records like a datastore', async () => {
    const s = store()
    await s.put(providerKey(CID_A, 'p1'), value(1))
    expect(await s.has(providerKey(CID_A, 'p1'))).toBe(true)
    expect(await s.get(providerKey(CID_A, 'p1'))).toEqual(value(1))
    await s.delete(providerKey(CID_A, 'p1'))
    expect(await s.has(providerKey(CID_A, 'p1'))).toBe(false)
    await expect(async () => await s.get(providerKey(CID_A, 'p1'))).rejects.toMatchObject({ name: 'NotFoundError' })
    expect(s.size).toBe(0)
  })

  it('answers a CID prefix query with exactly that CID\'s records, and the root query with all', async () => {
    const s = store()
    await s.put(providerKey(CID_A, 'p1'), value(1))
    await s.put(providerKey(CID_A, 'p2'), value(2))
    await s.put(providerKey(CID_B, 'p1'), value(3))
    await s.put(providerKey(`${CID_A}x`, 'p3'), value(4))
    expect(await keysUnder(s, `/dht/provider/${CID_A}`)).toEqual([`/dht/provider/${CID_A}/p1`, `/dht/provider/${CID_A}/p2`])
    expect(await keysUnder(s, '/dht/provider')).toHaveLength(4)
  })

  it('keeps other keys in memory and lists both kinds under a common prefix', async () => {
    const s = store()
    await s.put(new Key('/peers/abc'), value(9))
    await s.put(providerKey(CID_A, 'p1'), value(1))
    expect(await s.get(new Key('/peers/abc'))).toEqual(value(9))
    expect(await keysUnder(s, '/')).toEqual([`/dht/provider/${CID_A}/p1`, '/peers/abc'])
    expect(await keysUnder(s, '/peers')).toEqual(['/peers/abc'])
    const keys: string[] = []
    for await (const key of s.queryKeys({ prefix: '/dht' })) keys.push(key.toString())
    expect(keys).toEqual([`/dht/provider/${CID_A}/p1`])
    expect(s.size).toBe(1)
  })

  it('refuses a peer\'s records beyond its bound, but always lets it refresh one it has', async () => {
    const s = store({ maxPerPeer: 2 })
    await s.put(providerKey(CID_A, 'p1'), value(1))
    await s.put(providerKey(CID_B, 'p1'), value(1))
    expect(refusal(() => s.put(providerKey('ciqcccc', 'p1'), value(1)))).toMatch(/peer holds 2/)
    await s.put(providerKey(CID_A, 'p1'), value(7))
    expect(await s.get(providerKey(CID_A, 'p1'))).toEqual(value(7))
    await s.put(providerKey('ciqcccc', 'p2'), value(1))
    await s.delete(providerKey(CID_B, 'p1'))
    await s.put(providerKey('ciqcccc', 'p1'), value(1))
    expect(s.size).toBe(3)
  })

  it('bounds what one address can store under many peer ids', async () => {
    const s = store({ maxPerIp: 2 }, { p1: '192.0.2.1', p2: '192.0.2.1', p3: '192.0.2.1', p4: '198.51.100.1' })
    await s.put(providerKey(CID_A, 'p1'), value(1))
    await s.put(providerKey(CID_A, 'p2'), value(1))
    expect(refusal(() => s.put(providerKey(CID_A, 'p3'), value(1)))).toMatch(/address holds 2/)
    await s.put(providerKey(CID_A, 'p4'), value(1))
  })

  it('bounds the total', async () => {
    const s = store({ maxTotal: 2 })
    await s.put(providerKey(CID_A, 'p1'), value(1))
    await s.put(providerKey(CID_A, 'p2'), value(1))
    expect(refusal(() => s.put(providerKey(CID_A, 'p3'), value(1)))).toMatch(/relay holds 2/)
    await s.delete(providerKey(CID_A, 'p1'))
    await s.put(providerKey(CID_A, 'p3'), value(1))
  })
})

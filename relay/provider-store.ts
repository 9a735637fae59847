import { logger } from '@libp2p/logger'
import { MemoryDatastore } from 'datastore-core/memory'
import { Key } from 'interface-datastore'
import { ProviderLimitError } from './errors.ts'
import type { KeyQuery, Pair, Query } from 'interface-datastore'

const log = logger('chiral:relay:providers')

/** Where kad-dht keeps provider records: `${datastorePrefix}/provider/<multihash>/<peer id>`. */
export const DEFAULT_PROVIDER_ROOT = '/dht/provider'

export interface ProviderStoreInit {
  maxPerPeer: number
  maxPerIp: number
  maxTotal: number
  /** The per-address key (relay/ip-key.ts) a peer is connected from, when it is. */
  ipOfPeer: (peerId: string) => string | undefined
  /** kad-dht's provider key root. Default /dht/provider. */
  root?: string
  /** A record was deleted (expired, or its provider withdrew it): for logs, metrics and tests. */
  onRemoved?: (cid: string, peer: string) => void
}

interface ProviderRecord {
  value: Uint8Array
  /** The address the record was first stored from: what it counts against. */
  ip: string
}

/**
 * The relay's libp2p datastore. kad-dht stores every ADD_PROVIDER it receives
 * without any bound, and answers GET_PROVIDERS with a prefix query that a
 * MemoryDatastore serves by scanning every key. Provider records live here
 * instead, indexed by CID, counted per peer, per address and in total; a new
 * record beyond a bound is refused with a ProviderLimitError (kad-dht then
 * resets the sender's stream). A record stored again (a re-announce) only
 * refreshes its time. Expiry stays kad-dht's: its reprovider deletes records
 * older than `reprovide.validity`. Everything else is a plain MemoryDatastore.
 */
export class ProviderRecordStore extends MemoryDatastore {
  private readonly init: ProviderStoreInit
  private readonly root: string
  private readonly byCid = new Map<string, Map<string, ProviderRecord>>()
  private readonly perPeer = new Map<string, number>()
  private readonly perIp = new Map<string, number>()
  private total = 0

  constructor (init: ProviderStoreInit) {
    super()
    this.init = init
    this.root = init.root ?? DEFAULT_PROVIDER_ROOT
  }

  /** Provider records held now. */
  get size (): number {
    return this.total
  }

  override put (key: Key, value: Uint8Array, options?: { signal?: AbortSignal }): Key | Promise<Key> {
    const parts = this.parse(key)
    if (parts == null) return super.put(key, value, options)
    const [cid, peer] = parts
    const existing = this.byCid.get(cid)?.get(peer)
    if (existing != null) {
      existing.value = value
      return key
    }
    const ip = this.init.ipOfPeer(peer) ?? 'unknown'
    const refusal = this.refusal(peer, ip)
    if (refusal != null) {
      log('refused a provider record from %s (%s): %s', peer, ip, refusal)
      throw new ProviderLimitError(`Provider record refused: ${refusal}`)
    }
    let records = this.byCid.get(cid)
    if (records == null) {
      records = new Map()
      this.byCid.set(cid, records)
    }
    records.set(peer, { value, ip })
    bump(this.perPeer, peer, 1)
    bump(this.perIp, ip, 1)
    this.total++
    return key
  }

  override get (key: Key, options?: { signal?: AbortSignal }): Uint8Array | Promise<Uint8Array> {
    const parts = this.parse(key)
    if (parts == null) return super.get(key, options)
    const record = this.byCid.get(parts[0])?.get(parts[1])
    // the parent never holds provider keys, so it throws the proper NotFoundError
    if (record == null) return super.get(key, options)
    return record.value
  }

  override has (key: Key, options?: { signal?: AbortSignal }): boolean | Promise<boolean> {
    const parts = this.parse(key)
    if (parts == null) return super.has(key, options)
    return this.byCid.get(parts[0])?.has(parts[1]) === true
  }

  override delete (key: Key, options?: { signal?: AbortSignal }): void | Promise<void> {
    const parts = this.parse(key)
    if (parts == null) return super.delete(key, options)
    const [cid, peer] = parts
    const records = this.byCid.get(cid)
    const record = records?.get(peer)
    if (records == null || record == null) return
    records.delete(peer)
    if (records.size === 0) this.byCid.delete(cid)
    bump(this.perPeer, peer, -1)
    bump(this.perIp, record.ip, -1)
    this.total--
    this.init.onRemoved?.(cid, peer)
  }

  override async * _all (q: Query, options?: { signal?: AbortSignal }): AsyncGenerator<Pair> {
    const prefix = q.prefix ?? ''
    // other keys never live under the provider root
    if (!this.underRoot(prefix)) yield * super._all(q, options)
    if (this.underRoot(prefix) || this.root.startsWith(prefix)) {
      for (const [cid, peer, record] of this.records(prefix)) {
        options?.signal?.throwIfAborted()
        yield { key: new Key(`${this.root}/${cid}/${peer}`), value: record.value }
      }
    }
  }

  override async * _allKeys (q: KeyQuery, options?: { signal?: AbortSignal }): AsyncGenerator<Key> {
    const prefix = q.prefix ?? ''
    if (!this.underRoot(prefix)) yield * super._allKeys(q, options)
    if (this.underRoot(prefix) || this.root.startsWith(prefix)) {
      for (const [cid, peer] of this.records(prefix)) yield new Key(`${this.root}/${cid}/${peer}`)
    }
  }

  private underRoot (prefix: string): boolean {
    return prefix === this.root || prefix.startsWith(this.root + '/')
  }

  /** Records a query prefix can match: one CID's when it names one (a GET_PROVIDERS), else all. */
  private * records (prefix: string): Generator<[string, string, ProviderRecord]> {
    const named = /^([^/]+)(\/|$)/.exec(prefix.slice(this.root.length + 1))?.[1]
    const cids = named != null && prefix.length > this.root.length + 1 ? [named] : [...this.byCid.keys()]
    for (const cid of cids) {
      for (const [peer, record] of this.byCid.get(cid) ?? []) yield [cid, peer, record]
    }
  }

  /** [multihash, peer id] of a provider record key, or undefined for any other key. */
  private parse (key: Key): [string, string] | undefined {
    const text = key.toString()
    if (!text.startsWith(this.root + '/')) return undefined
    const [cid, peer, extra] = text.slice(this.root.length + 1).split('/')
    return cid != null && cid !== '' && peer != null && peer !== '' && extra == null ? [cid, peer] : undefined
  }

  private refusal (peer: string, ip: string): string | undefined {
    if (this.total >= this.init.maxTotal) return `the relay holds ${this.init.maxTotal} records`
    if ((this.perPeer.get(peer) ?? 0) >= this.init.maxPerPeer) return `the peer holds ${this.init.maxPerPeer} records`
    if ((this.perIp.get(ip) ?? 0) >= this.init.maxPerIp) return `its address holds ${this.init.maxPerIp} records`
    return undefined
  }
}

function bump (counts: Map<string, number>, key: string, by: number): void {
  const next = (counts.get(key) ?? 0) + by
  if (next <= 0) counts.delete(key)
  else counts.set(key, next)
}

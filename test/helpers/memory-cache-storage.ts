/**
 * CacheStorage in memory, for what the share-target inbox uses of it (open,
 * has, delete; a Cache's put and match by URL). Responses are buffered on put,
 * like the real Cache, so a body can be matched more than once.
 */
export class MemoryCache {
  readonly entries = new Map<string, { body: ArrayBuffer, status: number, headers: [string, string][] }>()
  /** Make every put after this many fail with a QuotaExceededError, as a full disk does. */
  failAfter = Infinity

  async put (key: RequestInfo | URL, response: Response): Promise<void> {
    if (this.entries.size >= this.failAfter) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
    this.entries.set(keyOf(key), { body: await response.arrayBuffer(), status: response.status, headers: [...response.headers] })
  }

  async match (key: RequestInfo | URL): Promise<Response | undefined> {
    const entry = this.entries.get(keyOf(key))
    return entry == null ? undefined : new Response(entry.body.slice(0), { status: entry.status, headers: entry.headers })
  }
}

export class MemoryCacheStorage {
  readonly caches = new Map<string, MemoryCache>()
  failAfter = Infinity

  async open (name: string): Promise<Cache> {
    let cache = this.caches.get(name)
    if (cache == null) {
      cache = new MemoryCache()
      cache.failAfter = this.failAfter
      this.caches.set(name, cache)
    }
    return cache as unknown as Cache
  }

  async has (name: string): Promise<boolean> {
    return this.caches.has(name)
  }

  async delete (name: string): Promise<boolean> {
    return this.caches.delete(name)
  }
}

function keyOf (key: RequestInfo | URL): string {
  return typeof key === 'string' ? key : key instanceof URL ? key.href : key.url
}

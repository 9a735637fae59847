import { AbortError, NotDownloadingError } from '../errors.ts'
import type { AbortOptions } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'
import type { BlockStore } from '../storage/block-store.ts'
import type { DagPosition } from './dag-position.ts'
import type { Swarm, SwarmOwner } from './swarm.ts'

/**
 * Fetch `cids` of the share `root` before anything else its download wants
 * (a player waiting for the bytes at a seek position), from the peers that
 * download is linked to, through the same want list: one want per CID
 * (joining the download's own want when it has one), verified and stored
 * like every block. Resolves once every block is stored.
 *
 * @throws NotDownloadingError when nothing is linked for `root` (not downloading, or no peer yet); AbortError; the store's errors
 */
export async function fetchFirst (swarm: Swarm, store: Pick<BlockStore, 'has'>, root: string, cids: CID[], options: AbortOptions = {}): Promise<void> {
  const { signal } = options
  signal?.throwIfAborted()
  const missing: CID[] = []
  for (const cid of cids) if (!await store.has(cid, { signal })) missing.push(cid)
  if (missing.length === 0) return
  signal?.throwIfAborted()
  const peers = swarm.peersServing(root)
  if (peers.length === 0) throw new NotDownloadingError(root)

  const left = new Set(missing.map(cid => cid.toString()))
  let settle!: (err?: Error) => void
  const done = new Promise<void>((resolve, reject) => { settle = err => { err == null ? resolve() : reject(err) } })
  const owner: SwarmOwner = {
    root,
    delivered (position, _block, _peer, stored) {
      stored.then(() => {
        left.delete(position.cid.toString())
        if (left.size === 0) settle()
      }, (err: unknown) => { settle(err as Error) })
    },
    changed () {},
    lacked () {}, // the download's own run decides when its peers are gone; our caller has its own timeout
    failed (err) { settle(err) }
  }
  const onAbort = (): void => { settle(signal?.reason instanceof Error ? signal.reason : new AbortError()) }
  signal?.addEventListener('abort', onAbort, { once: true })
  signal?.throwIfAborted() // aborted while the store was asked
  try {
    for (const peer of peers) swarm.reuse(owner, peer)
    for (const cid of missing) {
      const position: DagPosition = { cid, role: 'part', copies: 1, depth: 0 } // not walked: only stored
      swarm.want(owner, position, { first: true })
    }
    await done
  } finally {
    signal?.removeEventListener('abort', onAbort)
    swarm.release(owner)
  }
}

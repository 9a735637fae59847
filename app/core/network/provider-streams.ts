import { logger } from '@libp2p/logger'
import { DIAL_TIMEOUT_MS, FIND_PROVIDERS_TIMEOUT_MS, MAX_PARALLEL_PROVIDER_DIALS } from '../constants.ts'
import { NoDirectConnectionError, NoProvidersError } from '../errors.ts'
import { Wakeup } from '../util/wakeup.ts'
import { openBlockStream } from './connect-provider.ts'
import { BLOCK_PROTOCOL } from './protocols.ts'
import type { PeerStream } from '../transfer/peer-stream.ts'
import type { Connection, Libp2p, PeerInfo } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

const log = logger('chiral:network:providers')

export interface ProviderStreamsInit {
  libp2p: Libp2p
  root: CID
  signal: AbortSignal
  /** Our relays: connected, but they serve no blocks. */
  isRelay(peer: string): boolean
  /** Whether a TURN server was offered, for the error when no direct path exists. */
  turnConfigured(): boolean
  /** True when the caller already exchanges blocks with `peer`: it is counted as reached and no stream is opened. */
  reuse?(peer: string): boolean
  /** A provider was found but could not be reached this time (a later search may try it again). */
  onUnreached?(peer: string, err: Error): void
}

/**
 * Block streams to whoever may have `root`. Peers we already talk to directly
 * are asked too (like a bitswap session): a second file between two connected
 * tabs needs neither the DHT nor the relay. Their streams open all at once and
 * the DHT query starts at the same moment, so neither a slow connected peer nor
 * a second one waits on the first; providers found through the DHT are dialed
 * as their records arrive, up to MAX_PARALLEL_PROVIDER_DIALS at once. Each
 * stream is yielded as soon as it opens: one provider behind a NAT that cannot
 * be crossed delays no other.
 *
 * @throws NoProvidersError when nobody was found, or nobody found could be
 * reached at all (a closed tab's record outlives it in the DHT)
 * @throws NoDirectConnectionError when a provider was reached through the
 * relay but no direct connection to it could be made
 */
export async function * providerStreams (init: ProviderStreamsInit): AsyncGenerator<PeerStream> {
  const { libp2p, root, signal } = init
  const tried = new Set<string>()
  const opened: PeerStream[] = []
  const wakeup = new Wakeup()
  /** Every stream still opening: connected peers' and dialed providers'. */
  const pending = new Set<Promise<void>>()
  /** Of those, the dials (bounded by MAX_PARALLEL_PROVIDER_DIALS). */
  const dials = new Set<Promise<void>>()
  let finding = true
  let closed = false
  let found = 0
  let reached = 0
  let connectedToProviders = 0
  const reused = (peer: string): boolean => {
    if (init.reuse?.(peer) !== true) return false
    connectedToProviders++
    return true
  }
  let lastError: Error | undefined

  const dial = async (provider: PeerInfo): Promise<void> => {
    const peer = provider.id.toString()
    const started = performance.now()
    try {
      const { stream, connection } = await openBlockStream(libp2p, provider, signal)
      log('block stream to %s open after %d ms', peer, Math.round(performance.now() - started))
      if (signal.aborted || closed) {
        stream.abort(new Error('the download no longer needs this peer')) // finished meanwhile
        return
      }
      connectedToProviders++
      opened.push({ peer, stream, connection })
    } catch (err) {
      lastError = err as Error
      // a relayed (limited) connection left open means the relay reached the sharer: only the direct path failed
      if (libp2p.getConnections(provider.id).some(c => c.status === 'open')) reached++
      log('could not reach provider %s after %d ms: %s', peer, Math.round(performance.now() - started), lastError.message)
      if (!signal.aborted) init.onUnreached?.(peer, lastError)
    }
  }

  /** A block stream on a connection we already have (no dial): it may or may not have `root`. */
  const ask = async (connection: Connection): Promise<void> => {
    const peer = connection.remotePeer.toString()
    try {
      const stream = await connection.newStream(BLOCK_PROTOCOL, { signal: AbortSignal.any([signal, AbortSignal.timeout(DIAL_TIMEOUT_MS)]) })
      if (signal.aborted || closed) {
        stream.abort(new Error('the download no longer needs this peer'))
        return
      }
      opened.push({ peer, stream, connection })
    } catch (err) {
      log('connected peer %s has no block protocol: %s', peer, (err as Error).message)
    }
  }

  const track = (running: Promise<void>, bounded: boolean): void => {
    const settled: Promise<void> = running.finally(() => { pending.delete(settled); dials.delete(settled); wakeup.wake() })
    pending.add(settled)
    if (bounded) dials.add(settled)
  }

  for (const connection of libp2p.getConnections()) {
    const peer = connection.remotePeer.toString()
    if (connection.limits != null || connection.status !== 'open' || tried.has(peer) || init.isRelay(peer)) continue
    tried.add(peer)
    found++
    if (init.reuse?.(peer) === true) continue
    track(ask(connection), false)
  }

  const find = async (): Promise<void> => {
    const findSignal = AbortSignal.any([signal, AbortSignal.timeout(FIND_PROVIDERS_TIMEOUT_MS)])
    try {
      for await (const provider of libp2p.contentRouting.findProviders(root, { signal: findSignal })) {
        const peer = provider.id.toString()
        if (provider.id.equals(libp2p.peerId) || tried.has(peer)) continue
        tried.add(peer)
        found++
        if (reused(peer)) continue
        while (dials.size >= MAX_PARALLEL_PROVIDER_DIALS) await Promise.race(dials)
        track(dial(provider), true)
      }
    } catch (err) {
      if (!signal.aborted) log('findProviders ended: %s', (err as Error).message) // timeout or no relay: report what we have
    } finally {
      finding = false
      wakeup.wake()
    }
  }

  const onAbort = (): void => { wakeup.wake() }
  signal.addEventListener('abort', onAbort, { once: true })
  const finding$ = find()
  try {
    while (!signal.aborted) {
      const next = opened.shift()
      if (next != null) {
        yield next
        continue
      }
      if (!finding && pending.size === 0) break
      await wakeup.wait()
    }
  } finally {
    // the consumer stopped (download done or failed): streams nobody will read are closed, now and as they open
    closed = true
    for (const unused of opened.splice(0)) unused.stream.abort(new Error('the download no longer needs this peer'))
    signal.removeEventListener('abort', onAbort)
    await finding$
  }
  signal.throwIfAborted()
  if (found === 0) throw new NoProvidersError(root.toString())
  if (connectedToProviders > 0 || lastError == null) return
  if (reached === 0) throw new NoProvidersError(root.toString(), lastError)
  throw new NoDirectConnectionError(root.toString(), { turnConfigured: init.turnConfigured(), cause: lastError })
}

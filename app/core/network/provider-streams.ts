import { logger } from '@libp2p/logger'
import { DIAL_TIMEOUT_MS, FIND_PROVIDERS_TIMEOUT_MS, MAX_PARALLEL_PROVIDER_DIALS } from '../constants.ts'
import { NoDirectConnectionError, NoProvidersError } from '../errors.ts'
import { Wakeup } from '../util/wakeup.ts'
import { openBlockStream } from './connect-provider.ts'
import { BLOCK_PROTOCOL } from './protocols.ts'
import type { PeerStream } from '../transfer/peer-stream.ts'
import type { Libp2p, PeerInfo } from '@libp2p/interface'
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
 * are asked first (like a bitswap session): a second file between two connected
 * tabs needs neither the DHT nor the relay. Then providers found through the DHT
 * are dialed, up to MAX_PARALLEL_PROVIDER_DIALS at once, and each stream is
 * yielded as soon as it opens: one provider behind a NAT that cannot be
 * crossed delays no other.
 *
 * @throws NoProvidersError when nobody was found, or nobody found could be
 * reached at all (a closed tab's record outlives it in the DHT)
 * @throws NoDirectConnectionError when a provider was reached through the
 * relay but no direct connection to it could be made
 */
export async function * providerStreams (init: ProviderStreamsInit): AsyncGenerator<PeerStream> {
  const { libp2p, root, signal } = init
  const tried = new Set<string>()
  for (const connection of libp2p.getConnections()) {
    const peer = connection.remotePeer.toString()
    if (connection.limits != null || connection.status !== 'open' || tried.has(peer) || init.isRelay(peer)) continue
    tried.add(peer)
    if (init.reuse?.(peer) === true) continue
    try {
      yield { peer, stream: await connection.newStream(BLOCK_PROTOCOL, { signal: AbortSignal.any([signal, AbortSignal.timeout(DIAL_TIMEOUT_MS)]) }), connection }
    } catch (err) {
      log('connected peer %s has no block protocol: %s', peer, (err as Error).message)
    }
  }

  const opened: PeerStream[] = []
  const wakeup = new Wakeup()
  const dials = new Set<Promise<void>>()
  let finding = true
  let found = tried.size
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
      if (signal.aborted) {
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
        const running: Promise<void> = dial(provider).finally(() => { dials.delete(running); wakeup.wake() })
        dials.add(running)
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
      if (!finding && dials.size === 0) break
      await wakeup.wait()
    }
  } finally {
    // the consumer stopped (download done or failed): streams nobody will read are closed
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

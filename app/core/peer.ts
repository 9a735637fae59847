import { TypedEventEmitter } from '@libp2p/interface'
import { logger } from '@libp2p/logger'
import { createLibp2p, type Libp2p } from 'libp2p'
import { importShare } from './content/import-share.ts'
import { parseCidInput } from './content/parse-cid.ts'
import { listFiles, readFile } from './content/read-file.ts'
import type { ReadRangeOptions } from './content/file-reader.ts'
import { DEFAULT_WINDOW_BLOCKS, FIND_PROVIDERS_TIMEOUT_MS, MAX_INBOUND_BLOCK_STREAMS, MIN_UPLOAD_LIMIT_BYTES_PER_SECOND, PROVIDE_TIMEOUT_MS } from './constants.ts'
import { createBlockServer, type BlockServer } from './serve/block-server.ts'
import { ServeActivity } from './serve/serve-activity.ts'
import { ShareIndex } from './serve/share-index.ts'
import { WithheldStore } from './serve/withheld-store.ts'
import { describeConnectionPath } from './network/connection-path.ts'
import { checkNetwork, type NetworkCheck } from './network/ice-check.ts'
import { IceServerSource } from './network/ice-servers.ts'
import { createDownloadRunner } from './transfer/download-runner.ts'
import { storedBytes } from './transfer/stored-bytes.ts'
import { fetchFirst } from './transfer/fetch-first.ts'
import { Swarm } from './transfer/swarm.ts'
import { TransferManager } from './transfer/transfers.ts'
import { PeerLibrary } from './library/library.ts'
import { SweepWitness, witnessedStore } from './library/sweep-witness.ts'
import { loadOrCreateIdentity } from './network/identity.ts'
import { browserLibp2pOptions, type PeerServices } from './network/libp2p-options.ts'
import { BLOCK_PROTOCOL, LEGACY_BLOCK_PROTOCOLS } from './network/protocols.ts'
import { RelayLink } from './network/relay-link.ts'
import { openIdbStore } from './storage/idb-store.ts'
import { checkRoomFor } from './storage/storage-room.ts'
import { markStart } from './util/start-marks.ts'
import type { BlockStore, ShareRecordStore } from './storage/block-store.ts'
import type { Library, UploadActivity, DownloadOptions, DownloadProgress, DownloadResult, Peer, PeerEvents, PeerInit, PeerStatus, ProviderInfo, ShareInput, ShareOptions, ShareResult, SharedFile, Transfers } from './types.ts'
import type { AbortOptions, Connection } from '@libp2p/interface'

const log = logger('chiral:peer')

/** Create and start a peer: identity, store, libp2p, block server, relay link. */
export async function createPeer (init: PeerInit = {}): Promise<Peer> {
  const idb = init.idb != null ? await init.idb : init.store == null || init.shares == null || init.privateKey == null ? await openIdbStore() : undefined
  markStart('store-open')
  const store = init.store ?? idb as BlockStore
  const shares = init.shares ?? idb as ShareRecordStore
  const privateKey = init.privateKey ?? await loadOrCreateIdentity(idb!)
  markStart('identity')
  const ice = new IceServerSource(init.ice)
  const base = browserLibp2pOptions({ privateKey, allowPrivateAddresses: init.allowPrivateAddresses ?? false, rtcConfiguration: ice.rtcConfiguration })
  const options = { ...base, ...init.libp2p, services: { ...base.services, ...init.libp2p?.services } }
  const libp2p = await createLibp2p<PeerServices>(options as typeof base)
  markStart('libp2p-started')
  const needsReservation = options.addresses?.listen?.includes('/p2p-circuit') === true
  const peer = new ChiralPeer(libp2p, { store, shares, init, ice, needsReservation, ownsStore: idb != null && init.store == null })
  await peer.start()
  return peer
}

interface PeerParts {
  store: BlockStore
  shares: ShareRecordStore
  init: PeerInit
  ice: IceServerSource
  /** Ready means holding a relay reservation (browsers), not just a connection (tests on direct transports). */
  needsReservation: boolean
  /** We opened the store, so we close it. */
  ownsStore: boolean
}

class ChiralPeer extends TypedEventEmitter<PeerEvents> implements Peer {
  status: PeerStatus = 'starting'
  private readonly libp2p: Libp2p<PeerServices>
  private readonly store: BlockStore
  private readonly shares: ShareRecordStore
  private readonly init: PeerInit
  private readonly ownsStore: boolean
  private readonly relay: RelayLink
  private readonly ice: IceServerSource
  private readonly stopController = new AbortController()
  private readonly swarm: Swarm
  private readonly manager: TransferManager
  private readonly blockServer: BlockServer
  private readonly witness = new SweepWitness()
  private readonly peerLibrary: PeerLibrary
  private readonly activity: ServeActivity
  private wasEverReady = false

  constructor (libp2p: Libp2p<PeerServices>, parts: PeerParts) {
    super()
    this.libp2p = libp2p
    this.store = witnessedStore(parts.store, this.witness) // a sweep keeps what the peer touches while it runs
    this.shares = parts.shares
    this.init = parts.init
    this.ownsStore = parts.ownsStore
    this.ice = parts.ice
    this.ice.onWarning = err => { this.warn(err) }
    this.relay = new RelayLink(libp2p, {
      bootstrap: this.init.bootstrap ?? [],
      needsReservation: parts.needsReservation,
      onStatus: status => { this.setStatus(status) },
      onWarning: err => { this.warn(err) }
    })
    const shareIndex = new ShareIndex({
      store: parts.store, // not witnessed: indexing touches nothing a sweep must keep
      roots: async options => (await parts.shares.listShares(options)).map(record => record.cid)
    })
    this.activity = new ServeActivity({
      index: shareIndex,
      pathOf: async peer => {
        const connection = libp2p.getConnections().find(c => c.remotePeer.toString() === peer && c.limits == null && c.status === 'open')
        return connection == null ? undefined : describeConnectionPath(connection)
      }
    })
    // a peer that still finds a stopped item (its DHT record lives until its TTL) gets DONT_HAVE
    const servable = new WithheldStore({ store: this.store, index: shareIndex, listShares: async options => parts.shares.listShares(options) })
    this.blockServer = createBlockServer({
      store: servable,
      uploadLimit: this.init.uploadLimit,
      onServed: (cid, peer, bytes) => {
        const key = cid.toString()
        void this.activity.served(key, peer, bytes)
        this.safeDispatch('block:served', { cid: key, peer, bytes })
      }
    })
    this.swarm = new Swarm({
      store: this.store,
      maxWindow: this.init.windowBlocks ?? DEFAULT_WINDOW_BLOCKS,
      timeouts: this.init.timeouts,
      onWarning: err => { this.warn(err) }
    })
    this.manager = new TransferManager({
      records: this.shares,
      maxRunning: this.init.maxRunningTransfers,
      onWarning: err => { this.warn(err) },
      measure: async (cid, options) => storedBytes(parts.store, cid, { signal: this.stopController.signal, ...options }),
      run: createDownloadRunner({
        libp2p,
        store: this.store,
        records: this.shares,
        swarm: this.swarm,
        isRelay: peer => this.relay.isRelay(peer),
        turnConfigured: () => this.ice.offersTurn(),
        relayReachable: () => this.status === 'ready' || this.status === 'connected',
        announce: cid => { void this.peerLibrary.announceIfSharing(cid) },
        timeouts: this.init.timeouts
      })
    })
    this.peerLibrary = new PeerLibrary({
      records: this.shares,
      store: parts.store,
      witness: this.witness,
      transfers: this.manager,
      announce: async cid => { await this.announce(cid, {}) },
      online: () => this.status === 'ready' || this.status === 'connected'
    })
    this.peerLibrary.addEventListener('change', () => {
      shareIndex.invalidate()
      servable.invalidate()
    })
  }

  uploads (): UploadActivity {
    return this.activity.snapshot()
  }

  get library (): Library {
    return this.peerLibrary
  }

  get transfers (): Transfers {
    return this.manager
  }

  setUploadLimit (bytesPerSecond: number | undefined): void {
    if (bytesPerSecond !== undefined && !(bytesPerSecond >= MIN_UPLOAD_LIMIT_BYTES_PER_SECOND)) {
      throw new RangeError(`An upload limit is at least ${MIN_UPLOAD_LIMIT_BYTES_PER_SECOND} bytes per second (got ${bytesPerSecond})`)
    }
    this.blockServer.setUploadLimit(bytesPerSecond)
  }

  get peerId (): string {
    return this.libp2p.peerId.toString()
  }

  async start (): Promise<void> {
    await this.libp2p.handle([BLOCK_PROTOCOL, ...LEGACY_BLOCK_PROTOCOLS], this.blockServer.handler, { maxInboundStreams: MAX_INBOUND_BLOCK_STREAMS })
    this.ice.start()
    this.relay.start()
  }

  async share (inputs: ShareInput[], options: ShareOptions = {}): Promise<ShareResult> {
    const sizes = inputs.map(input => input.content instanceof Blob ? input.content.size : undefined)
    const known = sizes.every(size => size != null) ? sizes.reduce<number>((sum, size) => sum + (size ?? 0), 0) : undefined
    await checkRoomFor(known, this.init.storage ?? globalThis.navigator?.storage)
    const result = await importShare(inputs, this.store, options)
    await this.shares.putShare({ cid: result.cid, files: result.files, totalBytes: result.totalBytes, origin: 'shared', complete: true, updatedAt: Date.now() }, options)
    this.peerLibrary.changed(result.cid)
    if (this.status === 'ready' || this.status === 'connected') {
      options.onProgress?.({ phase: 'announcing', bytesImported: result.totalBytes, totalBytes: result.totalBytes })
      await this.announce(result.cid, options)
    } // otherwise it is announced with every other share once the relay is back (reprovide)
    options.onProgress?.({ phase: 'done', bytesImported: result.totalBytes, totalBytes: result.totalBytes })
    return result
  }

  async download (cidOrLink: string, options: DownloadOptions = {}): Promise<DownloadResult> {
    options.signal?.throwIfAborted()
    const transfer = this.manager.start(cidOrLink) // an invalid CID throws here, before any traffic
    const onProgress = (event: CustomEvent<DownloadProgress>): void => { options.onProgress?.(event.detail) }
    const onAbort = (): void => { transfer.cancel() }
    transfer.addEventListener('progress', onProgress)
    options.signal?.addEventListener('abort', onAbort, { once: true })
    try {
      return await transfer.done()
    } finally {
      transfer.removeEventListener('progress', onProgress)
      options.signal?.removeEventListener('abort', onAbort)
    }
  }

  async list (cid: string, options?: AbortOptions): Promise<SharedFile[]> {
    return listFiles(this.store, parseCidInput(cid), options)
  }

  read (cid: string, path: string, options?: ReadRangeOptions): AsyncIterable<Uint8Array> {
    return readFile(this.store, parseCidInput(cid), path, options)
  }

  async fetchFirst (cid: string, blocks: string[], options: AbortOptions = {}): Promise<void> {
    const stop = this.stopController.signal
    const signal = options.signal == null ? stop : AbortSignal.any([options.signal, stop])
    await fetchFirst(this.swarm, this.store, parseCidInput(cid).toString(), blocks.map(block => parseCidInput(block)), { signal })
  }

  async * findProviders (cid: string, options: AbortOptions = {}): AsyncGenerator<ProviderInfo> {
    const signal = AbortSignal.any([options.signal ?? this.stopController.signal, AbortSignal.timeout(FIND_PROVIDERS_TIMEOUT_MS)])
    for await (const provider of this.libp2p.contentRouting.findProviders(parseCidInput(cid), { signal })) {
      yield { peerId: provider.id.toString(), multiaddrs: provider.multiaddrs.map(String) }
    }
  }

  async checkNetwork (options: AbortOptions = {}): Promise<NetworkCheck> {
    return await checkNetwork(await this.ice.rtcConfiguration(), options)
  }

  connections (): Connection[] {
    return this.libp2p.getConnections()
  }

  async stop (): Promise<void> {
    this.stopController.abort()
    this.manager.stop()
    this.swarm.stop()
    this.ice.stop()
    this.relay.stop()
    await this.libp2p.stop()
    if (this.ownsStore) await this.store.close()
  }

  /** Announce a root in the DHT; a failure is a warning, the content stays shared and is re-announced at start-up. */
  private async announce (cid: string, options: AbortOptions): Promise<void> {
    try {
      const signal = AbortSignal.any([options.signal ?? this.stopController.signal, this.stopController.signal, AbortSignal.timeout(PROVIDE_TIMEOUT_MS)])
      await this.libp2p.contentRouting.provide(parseCidInput(cid), { signal })
    } catch (err) {
      if (this.stopController.signal.aborted) return
      this.warn(new Error(`Could not announce ${cid} yet: ${(err as Error).message}`, { cause: err }))
    }
  }


  private setStatus (status: PeerStatus): void {
    const wasReady = this.status === 'ready'
    this.status = status
    this.safeDispatch('status', status)
    if (status !== 'ready' || wasReady) return
    void this.peerLibrary.reprovide().catch(err => { this.warn(err as Error) })
    if (!this.wasEverReady) void this.manager.restore().catch(err => { this.warn(err as Error) }) // downloads a previous visit left unfinished
    // back after losing the relay: it may have restarted with other STUN/TURN servers or a new secret
    if (this.wasEverReady) void this.ice.renew().catch(() => {}) // a failure was reported as a warning
    this.wasEverReady = true
  }

  private warn (err: Error): void {
    log('warning: %s', err.message)
    this.safeDispatch('warning', err)
  }

  private safeDispatch<K extends keyof PeerEvents> (type: K, detail: PeerEvents[K]['detail']): void {
    this.dispatchEvent(new CustomEvent(type, { detail }))
  }
}

import { CID } from 'multiformats/cid'
import { RelayUnreachableError } from '../errors.ts'
import { ConnectionPaths } from '../network/connection-path.ts'
import { providerStreams } from '../network/provider-streams.ts'
import { runTransfer, type TransferTimeouts } from './transfer-run.ts'
import type { Swarm } from './swarm.ts'
import type { TransferHost } from './transfer.ts'
import type { BlockStore, ShareRecordStore } from '../storage/block-store.ts'
import type { DagLimits } from './dag-walker.ts'
import type { Libp2p } from '@libp2p/interface'

export interface DownloadRunnerInit {
  libp2p: Libp2p
  store: BlockStore
  records: ShareRecordStore
  swarm: Swarm
  /** Our relays: connected, but they serve no blocks. */
  isRelay(peer: string): boolean
  /** Whether a TURN server was offered, for the error when no direct path exists. */
  turnConfigured(): boolean
  /** Whether the relay (our way to the DHT) is reachable now: "nobody has it" means nothing without it. */
  relayReachable(): boolean
  /** Announce that we provide `cid` unless the user stopped sharing it (a failure is a warning, never the download's). */
  announce(cid: string): void
  timeouts?: Partial<TransferTimeouts>
  limits?: Partial<DagLimits>
}

/**
 * One run of a download as the peer performs it: the share is recorded
 * (so a reload resumes it), providers are found through the connected peers
 * and the DHT, the root is announced as soon as it is stored (we serve what we
 * hold while we download the rest), and the finished share is recorded
 * complete with its file list.
 */
export function createDownloadRunner (init: DownloadRunnerInit): TransferHost['run'] {
  return async (cid, signal, onProgress, files) => {
    const { libp2p, store, records } = init
    const root = CID.parse(cid)
    // recorded (so a reload resumes it) while the search already runs: two IndexedDB
    // transactions cost 10-50 ms before the first block otherwise; a failure stops the run
    const unrecorded = new AbortController()
    const recorded = recordStarted(records, cid, signal).catch((err: unknown) => { unrecorded.abort(err); throw err })
    recorded.catch(() => {}) // awaited below; its failure is the run's
    const runSignal = AbortSignal.any([signal, unrecorded.signal])
    const paths = new ConnectionPaths()
    const directConnection = (peer: string) => libp2p.getConnections().find(c => c.remotePeer.toString() === peer && c.limits == null && c.status === 'open')
    const stats = await runTransfer({
      root,
      store,
      swarm: init.swarm,
      signal: runSignal,
      timeouts: init.timeouts,
      limits: init.limits,
      findPeers: async function * (searchSignal, reuse, missed) {
        const streams = providerStreams({
          libp2p,
          root,
          signal: searchSignal,
          isRelay: init.isRelay,
          turnConfigured: init.turnConfigured,
          onUnreached: missed,
          reuse: peer => {
            if (!reuse(peer)) return false
            const connection = directConnection(peer)
            if (connection != null) paths.add(peer, connection)
            return true
          }
        })
        for await (const peerStream of streams) {
          if (peerStream.connection != null) paths.add(peerStream.peer, peerStream.connection)
          yield peerStream
        }
      },
      onProgress: progress => {
        for (const source of progress.sources) paths.served(source.peer)
        onProgress({ ...progress, paths: paths.current() })
      },
      onRootStored: () => { void recorded.then(() => { init.announce(cid) }, () => {}) }, // announcing reads the record
      files
    }).catch((err: Error) => {
      // nobody found while the relay is down: the relay is the problem, not the sharer
      if (err.name === 'NoProvidersError' && !init.relayReachable()) throw new RelayUnreachableError(err)
      throw err
    })
    await recorded
    for (const source of stats.sources) paths.served(source.peer)
    const shareFiles = stats.files.map(({ path, size, cid }) => ({ path, size, cid }))
    const totalBytes = shareFiles.reduce((sum, f) => sum + f.size, 0)
    const record = await records.getShare(cid, { signal })
    const stopped = record?.sharing === false ? { sharing: false } : {} // the user stopped sharing it while it downloaded
    // only some files picked: the share stays incomplete, and a reload keeps the pick
    const picked = stats.partial && record?.selection != null ? { selection: record.selection } : {}
    await records.putShare({ cid, files: shareFiles, totalBytes, origin: record?.origin ?? 'downloaded', complete: !stats.partial, ...stopped, ...picked, updatedAt: Date.now() }, { signal })
    onProgress({ phase: 'done', bytes: stats.bytes, totalBytes: stats.partial ? stats.bytes : totalBytes, blocksFetched: stats.blocksFetched, blocksLocal: stats.blocksLocal, peers: 0, bytesPerSecond: 0, sources: stats.sources })
    // only some files picked: what was fetched is what the person asked for
    return { cid, files: shareFiles, totalBytes: stats.partial ? stats.bytes : totalBytes, blocksFetched: stats.blocksFetched, blocksLocal: stats.blocksLocal, paths: await paths.final(), sources: stats.sources }
  }
}

/** A new download's record (incomplete, no files yet); one already there (a resume, our own share) stays as it is. */
async function recordStarted (records: ShareRecordStore, cid: string, signal: AbortSignal): Promise<void> {
  const known = await records.getShare(cid, { signal })
  if (known == null) await records.putShare({ cid, files: [], totalBytes: 0, origin: 'downloaded', complete: false, updatedAt: Date.now() }, { signal })
}

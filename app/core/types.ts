import type { ReadRangeOptions } from './content/file-reader.ts'
import type { PeerPath } from './network/connection-path.ts'
import type { SwarmTimeouts } from './transfer/swarm.ts'
import type { TransferTimeouts } from './transfer/transfer-run.ts'
import type { NetworkCheck } from './network/ice-check.ts'
import type { IceServersInit } from './network/ice-servers.ts'
import type { MetaStore } from './network/identity.ts'
import type { BlockStore, ShareRecordStore } from './storage/block-store.ts'
import type { StorageEstimator } from './storage/storage-room.ts'
import type { Libp2pOptions } from 'libp2p'
import type { PrivateKey, AbortOptions, TypedEventTarget, Connection } from '@libp2p/interface'
import type { Library, UploadActivity } from './library-types.ts'

/** Where the peer is in reaching the network. */
export type PeerStatus =
  | 'starting' // libp2p is starting
  | 'connecting' // dialing the relay
  | 'connected' // connected to the relay, no reservation yet
  | 'ready' // relay reservation held: others can reach us
  | 'offline' // relay unreachable; retrying in the background

export interface PeerInit {
  /** Relay multiaddrs (`/dns4/.../tcp/.../ws/p2p/...`). Default: none (a lone peer). */
  bootstrap?: string[]
  /** Where blocks live. Default: IndexedDB database `chiral`. */
  store?: BlockStore
  /** Which roots this peer shares or downloads. Default: IndexedDB database `chiral`. */
  shares?: ShareRecordStore
  /**
   * The IndexedDB store (blocks, records, identity) already being opened by the
   * caller: a page opens it while this code still loads. The peer closes it on
   * stop. Default: opened here when store, shares or privateKey is missing.
   */
  idb?: Promise<BlockStore & ShareRecordStore & MetaStore>
  /** Identity. Default: loaded from (or created in) IndexedDB, so a reload keeps the peer id. */
  privateKey?: PrivateKey
  /**
   * Allow dialing loopback/private addresses and plain ws://. Only for local/dev
   * set-ups (a relay on localhost or a LAN). Default: false.
   */
  allowPrivateAddresses?: boolean
  /**
   * The STUN/TURN servers WebRTC may use, as the relay's /bootstrap.json names
   * them, and how to renew expiring TURN credentials. Default: none (host
   * candidates only: enough on one machine or one LAN, never across NATs).
   */
  ice?: IceServersInit
  /**
   * Most requested blocks in flight per peer. Each peer's window adapts to its
   * measured rate up to this. Default: DEFAULT_WINDOW_BLOCKS (32).
   */
  windowBlocks?: number
  /** How much the browser lets this page store (a share that would not fit is refused before it starts). Default: navigator.storage. */
  storage?: StorageEstimator
  /** Upload speed limit in bytes per second for everything this peer serves. Default: none. */
  uploadLimit?: number
  /** Downloads running at once; more wait in the queue. Default: MAX_RUNNING_TRANSFERS. */
  maxRunningTransfers?: number
  /** Transfer timing (stall, grace, search cadence). Defaults in constants.ts; tests shorten them. */
  timeouts?: Partial<TransferTimeouts & SwarmTimeouts>
  /** Overrides merged into the libp2p configuration (tests inject transports here). */
  libp2p?: Partial<Libp2pOptions>
}

export interface SharedFile {
  /** Path inside the share directory (the file name for a flat share). */
  path: string
  size: number
  cid: string
}

export interface ShareResult {
  /** CID of the wrapping directory: what the user sends to others. */
  cid: string
  files: SharedFile[]
  totalBytes: number
}

/** Something the peer can import: a browser File/Blob, or any named byte stream. */
export interface ShareInput {
  name: string
  /**
   * Where it sits in the share, '/'-separated (a picked folder's
   * webkitRelativePath, e.g. 'photos/2024/a.jpg'). Each segment is made safe
   * and unique within its folder. Default: `name`, at the top.
   */
  path?: string
  /** The bytes; absent for an empty folder at `path` (kept in the tree, as `ipfs add -r` keeps it). */
  content?: Blob | AsyncIterable<Uint8Array>
}

export interface ShareProgress {
  bytesImported: number
  totalBytes?: number
  phase: 'importing' | 'announcing' | 'done'
}

export interface ShareOptions extends AbortOptions {
  onProgress?: (progress: ShareProgress) => void
}

/** Blocks and bytes one peer sent during a download. */
export interface SourceCount {
  peer: string
  blocks: number
  bytes: number
}

export interface DownloadProgress {
  phase: 'finding' | 'connecting' | 'transferring' | 'done'
  /** File bytes present locally (downloaded now or stored before). */
  bytes: number
  /** File bytes of the whole share, once known (after the file roots arrived). */
  totalBytes?: number
  /** Blocks verified and stored during this call. */
  blocksFetched: number
  /** Blocks that were already stored and not fetched again. */
  blocksLocal: number
  /** Peers we are exchanging blocks with right now. */
  peers: number
  /** Bytes per second over the last few seconds. */
  bytesPerSecond: number
  /** How each peer's data flows (direct or through TURN), once known. */
  paths?: PeerPath[]
  /** Blocks and bytes each peer has sent in this run. */
  sources?: SourceCount[]
}

export interface DownloadOptions extends AbortOptions {
  onProgress?: (progress: DownloadProgress) => void
}

export interface DownloadResult {
  cid: string
  files: SharedFile[]
  totalBytes: number
  blocksFetched: number
  blocksLocal: number
  /** How the blocks came: one entry per peer that served them over WebRTC. */
  paths: PeerPath[]
  /** Blocks and bytes each peer sent in the run that completed it. */
  sources: SourceCount[]
}

/** One file of a download, as soon as its folder has arrived (before its data). */
export interface TransferFile extends SharedFile {
  /**
   * The path as the share names it, when it could not be saved as it is ('',
   * '..', 'a/b', a duplicate after sanitizing): `path` is then the safe,
   * unique one shown, saved and zipped.
   */
  original?: string
  /** Every block of it is stored: it can be saved. */
  complete: boolean
  /** It is fetched (every file is, until a selection is made). */
  selected: boolean
}

/** Where a download is: waiting for a slot, running, paused by the user, or over. */
export type TransferState = 'queued' | 'running' | 'paused' | 'done' | 'failed' | 'cancelled'

export interface TransferEvents {
  progress: CustomEvent<DownloadProgress>
  state: CustomEvent<TransferState>
  /** The file tree grew (a folder arrived), a file completed, or the selection changed. */
  files: CustomEvent<readonly TransferFile[]>
}

/** One download, which the user can pause, resume and cancel. */
export interface Transfer extends TypedEventTarget<TransferEvents> {
  readonly cid: string
  readonly state: TransferState
  /** The latest progress of the current (or last) run. */
  readonly progress: DownloadProgress | undefined
  /** Why it failed (state 'failed'). */
  readonly error: Error | undefined
  readonly result: DownloadResult | undefined
  /** The share's files as far as known (sorted by path), before their data; undefined until the root arrived. */
  readonly files: readonly TransferFile[] | undefined
  /** The paths (TransferFile.path) to fetch; undefined: every file. Kept across pauses and reloads. */
  readonly selection: readonly string[] | undefined
  /**
   * Fetch only these files (undefined: all). Widening it fetches more, also
   * after the transfer is done; a run ends once the selected files are stored.
   */
  select(paths: readonly string[] | undefined): void
  pause(): void
  /** Go again after a pause or a failure; what is stored is not fetched again. */
  resume(): void
  /** Stop and forget it (its stored blocks stay, so opening the link again resumes). */
  cancel(): void
  /** Settles when it is done (resolves), failed or cancelled (rejects); a pause does not settle it. */
  done(): Promise<DownloadResult>
}

export interface TransfersEvents {
  added: CustomEvent<Transfer>
  removed: CustomEvent<Transfer>
}

/** Every download of a peer, including the ones a previous visit left unfinished. */
export interface Transfers extends TypedEventTarget<TransfersEvents> {
  /** Start downloading a CID or link; one already known is returned (and resumed if paused or failed). @throws InvalidCidError */
  start(cidOrLink: string): Transfer
  get(cidOrLink: string): Transfer | undefined
  list(): Transfer[]
  /** Cancel if needed, and drop it from the list. */
  remove(cidOrLink: string): void
}

export type { LibraryState, LibraryItem, LibraryEvents, DeleteResult, Library, UploadEntry, UploadActivity } from './library-types.ts'

export interface ProviderInfo {
  peerId: string
  multiaddrs: string[]
}

export interface PeerEvents {
  /** The network status changed. */
  status: CustomEvent<PeerStatus>
  /** A problem that did not fail an operation (relay lost, a peer sent a bad block...). */
  warning: CustomEvent<Error>
  /** A remote peer was served a block (`bytes`: its length). */
  'block:served': CustomEvent<{ cid: string, peer: string, bytes: number }>
}

export interface Peer extends TypedEventTarget<PeerEvents> {
  readonly peerId: string
  readonly status: PeerStatus
  /** Import files into the store (streamed), then announce the share CID in the DHT. */
  share(inputs: ShareInput[], options?: ShareOptions): Promise<ShareResult>
  /**
   * Fetch a share (CID string, CID, or share link) from peers until every
   * block is stored and verified: `transfers.start()` and `done()` in one call.
   * Aborting the signal cancels the transfer.
   */
  download(cidOrLink: string, options?: DownloadOptions): Promise<DownloadResult>
  /** Every download, with pause, resume and cancel. */
  readonly transfers: Transfers
  /** Everything this browser holds (shares and downloads): stop sharing, share again, delete. */
  readonly library: Library
  /**
   * Cap what this peer uploads to others, in bytes per second (undefined: no
   * cap). Applies to every block stream at once, from the next block on.
   * @throws RangeError below MIN_UPLOAD_LIMIT_BYTES_PER_SECOND (a block must still go out within the downloaders' timeout)
   */
  setUploadLimit(bytesPerSecond: number | undefined): void
  /**
   * Who downloads this peer's shares right now and how far, and the bytes
   * served since start. A snapshot: call it again on 'block:served' (or on a
   * timer, as entries expire SERVE_ACTIVITY_IDLE_MS after their peer's last ask).
   */
  uploads(): UploadActivity
  /** List the files of a share that is completely stored. */
  list(cid: string, options?: AbortOptions): Promise<SharedFile[]>
  /** Stream one file of a stored share, or the bytes [start, end) of it; a few blocks are read ahead, never the file. */
  read(cid: string, path: string, options?: ReadRangeOptions): AsyncIterable<Uint8Array>
  /**
   * Fetch these blocks of the share `cid` before anything else its running
   * download wants (playback waiting on a range), verified and stored like
   * every block; resolves once all are stored.
   * @throws NotDownloadingError when the share is not downloading from anyone now
   */
  fetchFirst(cid: string, blocks: string[], options?: AbortOptions): Promise<void>
  /** Ask the DHT who provides a CID (diagnostics, benchmarks, developers building on Chiral). */
  findProviders(cid: string, options?: AbortOptions): AsyncIterable<ProviderInfo>
  /**
   * Gather ICE candidates with the relay's STUN/TURN servers and report what
   * this network allows: a local address, a public one (STUN), TURN over UDP,
   * TCP or TLS. Browsers only.
   */
  checkNetwork(options?: AbortOptions): Promise<NetworkCheck>
  /** Open connections (for diagnostics and tests: `direct`, `limits`). */
  connections(): Connection[]
  stop(): Promise<void>
}

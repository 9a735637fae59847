import type { PeerPath } from './network/connection-path.ts'
import type { NetworkCheck } from './network/ice-check.ts'
import type { IceServersInit } from './network/ice-servers.ts'
import type { BlockStore, ShareRecordStore } from './storage/block-store.ts'
import type { Libp2pOptions } from 'libp2p'
import type { PrivateKey, AbortOptions, TypedEventTarget, Connection } from '@libp2p/interface'

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
  /** Requested blocks in flight per peer. Default: DEFAULT_WINDOW_BLOCKS (32). */
  windowBlocks?: number
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
  content: Blob | AsyncIterable<Uint8Array>
}

export interface ShareProgress {
  bytesImported: number
  totalBytes?: number
  phase: 'importing' | 'announcing' | 'done'
}

export interface ShareOptions extends AbortOptions {
  onProgress?: (progress: ShareProgress) => void
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
}

export interface ProviderInfo {
  peerId: string
  multiaddrs: string[]
}

export interface PeerEvents {
  /** The network status changed. */
  status: CustomEvent<PeerStatus>
  /** A problem that did not fail an operation (relay lost, a peer sent a bad block...). */
  warning: CustomEvent<Error>
  /** A remote peer was served a block. */
  'block:served': CustomEvent<{ cid: string, peer: string }>
}

export interface Peer extends TypedEventTarget<PeerEvents> {
  readonly peerId: string
  readonly status: PeerStatus
  /** Import files into the store (streamed), then announce the share CID in the DHT. */
  share(inputs: ShareInput[], options?: ShareOptions): Promise<ShareResult>
  /** Fetch a share (CID string, CID, or share link) from peers until every block is stored and verified. */
  download(cidOrLink: string, options?: DownloadOptions): Promise<DownloadResult>
  /** List the files of a share that is completely stored. */
  list(cid: string, options?: AbortOptions): Promise<SharedFile[]>
  /** Stream one file of a stored share. */
  read(cid: string, path: string, options?: AbortOptions): AsyncIterable<Uint8Array>
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

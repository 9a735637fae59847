/**
 * Chiral's headless core: the one public face. UI, relay and tests import from here.
 */
export { createPeer } from './peer.ts'
export { parseCidInput } from './content/parse-cid.ts'
export { sanitizeFileName } from './content/file-name.ts'
export { MIN_UPLOAD_LIMIT_BYTES_PER_SECOND } from './constants.ts'
export * from './errors.ts'
export type * from './types.ts'
export type { BlockStore, ShareRecord, ShareRecordStore } from './storage/block-store.ts'
export type { IceServersInit, IssuedIceServers } from './network/ice-servers.ts'
export type { IceServer, BootstrapDocument } from './protocol/bootstrap-document.ts'
export { parseBootstrapDocument, BOOTSTRAP_PATH } from './protocol/bootstrap-document.ts'
export type { NetworkCheck } from './network/ice-check.ts'
export type { ConnectionPath, PeerPath, CandidateType } from './network/connection-path.ts'
export type { ReadRangeOptions } from './content/file-reader.ts'

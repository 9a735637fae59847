/**
 * GET /bootstrap.json: what the relay tells a tab about the network. The relay
 * writes it (relay/bootstrap-info.ts), the app reads it (app/ui/kernel/bootstrap.ts);
 * this file is the contract between the two.
 */

import { parseIceUrl } from './ice-url.ts'

export const BOOTSTRAP_PATH = '/bootstrap.json'

/** An RTCIceServer as JSON: STUN/TURN URLs and, for TURN, credentials. */
export interface IceServer {
  urls: string[]
  username?: string
  credential?: string
}

export interface BootstrapDocument {
  peerId: string
  /** Dialable relay addresses, each ending in /p2p/<peerId>. */
  multiaddrs: string[]
  /** True when an address is loopback/private: a local/dev set-up where the browser must allow such dials. */
  allowPrivateAddresses: boolean
  /**
   * The ICE servers WebRTC may use, exactly: an empty list means host candidates
   * only (never a third-party default).
   */
  iceServers: IceServer[]
  /** Seconds until the credentials in `iceServers` expire; absent when nothing expires. */
  iceServersTtl?: number
}

/** Bounds on what we accept: a document is tiny; anything larger is a broken or hostile relay. */
export const MAX_BOOTSTRAP_ADDRESSES = 32
export const MAX_ICE_SERVERS = 16
export const MAX_ICE_URLS_PER_SERVER = 8
export const MAX_BOOTSTRAP_STRING_LENGTH = 1024

/** A URL RTCPeerConnection accepts (RFC 7064, RFC 7065); anything else makes its constructor throw. */
export function isIceServerUrl (url: string): boolean {
  return parseIceUrl(url) != null
}

export class InvalidBootstrapError extends Error {
  override readonly name = 'InvalidBootstrapError'
  constructor (reason: string) {
    super(`The relay's ${BOOTSTRAP_PATH} is not usable: ${reason}`)
  }
}

/** Validate a parsed /bootstrap.json. @throws InvalidBootstrapError */
export function parseBootstrapDocument (json: unknown): BootstrapDocument {
  const o = object(json, 'the document')
  const peerId = string(o.peerId, 'peerId')
  const multiaddrs = list(o.multiaddrs, 'multiaddrs', MAX_BOOTSTRAP_ADDRESSES).map((a, i) => string(a, `multiaddrs[${i}]`))
  if (typeof o.allowPrivateAddresses !== 'boolean') throw new InvalidBootstrapError('allowPrivateAddresses is not a boolean')
  const iceServers = list(o.iceServers ?? [], 'iceServers', MAX_ICE_SERVERS).map((s, i) => iceServer(s, `iceServers[${i}]`))
  const ttl = o.iceServersTtl
  if (ttl != null && (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl <= 0)) throw new InvalidBootstrapError('iceServersTtl is not a positive number')
  return { peerId, multiaddrs, allowPrivateAddresses: o.allowPrivateAddresses, iceServers, ...(ttl != null ? { iceServersTtl: ttl } : {}) }
}

function iceServer (value: unknown, what: string): IceServer {
  const o = object(value, what)
  const urls = (typeof o.urls === 'string' ? [o.urls] : list(o.urls, `${what}.urls`, MAX_ICE_URLS_PER_SERVER))
    .map((u, i) => string(u, `${what}.urls[${i}]`))
  if (urls.length === 0) throw new InvalidBootstrapError(`${what} has no URLs`)
  for (const url of urls) {
    if (!isIceServerUrl(url)) throw new InvalidBootstrapError(`${what} has an invalid URL "${url.slice(0, 80)}"`)
  }
  const server: IceServer = { urls }
  if (o.username != null) server.username = string(o.username, `${what}.username`)
  if (o.credential != null) server.credential = string(o.credential, `${what}.credential`)
  if (urls.some(u => /^turns?:/i.test(u)) && (server.username == null || server.credential == null)) {
    throw new InvalidBootstrapError(`${what} is a TURN server without a username and credential`)
  }
  return server
}

function object (value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value == null || Array.isArray(value)) throw new InvalidBootstrapError(`${what} is not an object`)
  return value as Record<string, unknown>
}

function list (value: unknown, what: string, max: number): unknown[] {
  if (!Array.isArray(value)) throw new InvalidBootstrapError(`${what} is not a list`)
  if (value.length > max) throw new InvalidBootstrapError(`${what} has more than ${max} entries`)
  return value
}

function string (value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw new InvalidBootstrapError(`${what} is not a non-empty string`)
  if (value.length > MAX_BOOTSTRAP_STRING_LENGTH) throw new InvalidBootstrapError(`${what} is longer than ${MAX_BOOTSTRAP_STRING_LENGTH} characters`)
  return value
}

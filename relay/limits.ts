/**
 * Every bound the relay puts on what strangers on the internet may make it do,
 * each with its reason. The defaults are meant to be safe on a public address;
 * every one can be changed with a flag or an environment variable
 * (relay/limit-flags.ts, README "Relay flags").
 */

const SECOND = 1_000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE

/**
 * TCP sockets one IP address may hold open on the public port at once (HTTP
 * and WebSocket together). A tab holds one WebSocket; loading the app opens up
 * to 6 HTTP sockets (Chromium's per-host limit) that keep-alive frees within
 * seconds. Offices and carrier-grade NAT put many honest users behind one
 * address, so this leaves room for about 50 open tabs per address, while one
 * address can hold only ~5 % of the relay's connection slots.
 */
export const MAX_CONNECTIONS_PER_IP = 64

/**
 * Circuit-relay reservations the relay holds at once: one per open tab. The
 * libp2p default (15) locks out the 16th tab.
 */
export const MAX_RESERVATIONS = 1024

/**
 * Reservations one IP address may hold. Half the per-address connection cap:
 * one address can take at most ~3 % of the reservations, so filling the relay
 * takes 32 addresses. An office with more than 32 tabs open at once behind one
 * address is rare; the 33rd tab can still download, it just cannot be reached
 * to share until another tab closes.
 */
export const MAX_RESERVATIONS_PER_IP = 32

/**
 * Libp2p handshakes (noise + yamux) one address may have in progress at once.
 * A handshake takes ~100 ms, so 16 covers a whole office reloading together;
 * without it one address could fill libp2p's global pending-handshake limit
 * with sockets that never finish and lock everyone else out for
 * HANDSHAKE_TIMEOUT_MS.
 */
export const MAX_HANDSHAKES_PER_IP = 16

/**
 * Time a client has to send a complete HTTP request (the relay only answers
 * GET and HEAD, so this is the headers). 10 s is generous for a slow mobile
 * link and short enough that slow-loris sockets are gone before they pile up.
 */
export const HTTP_TIMEOUT_MS = 10 * SECOND

/**
 * How long an idle keep-alive HTTP socket stays open between requests (Node's
 * own default). Page loads open several; they must free the per-address socket
 * budget quickly for the WebSockets that tabs keep.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 5 * SECOND

/**
 * Time for the TLS handshake, and separately for the libp2p handshake after
 * the WebSocket upgrade (multistream-select, noise, yamux). Either takes well
 * under a second on a healthy link; a socket that stalls in one is dropped.
 */
export const HANDSHAKE_TIMEOUT_MS = 10 * SECOND

/**
 * A libp2p connection that holds no reservation and has had no stream (other
 * than keep-alive pings) for this long is closed. Enough for a tab whose
 * reservation was refused to finish a lookup and the signalling of a WebRTC
 * dial; a connection kept only to occupy a slot is freed within a minute.
 */
export const IDLE_CONNECTION_TIMEOUT_MS = MINUTE

/**
 * A stream that carries no data either way for this long is reset. Every honest
 * exchange with the relay is quicker: DHT messages wait at most 10 s (kad-dht),
 * a reservation at most 30 s (circuit relay hop timeout), WebRTC signalling over
 * a relayed circuit ends when ICE does. libp2p streams carry an
 * `inactivityTimeout` but nothing in libp2p 3 enforces it; relay/stream-idle.ts does.
 */
export const STREAM_IDLE_TIMEOUT_MS = MINUTE

/**
 * Largest WebSocket message the relay accepts; a larger one is refused from its
 * frame header, before its payload is buffered. libp2p sends one message per
 * noise frame (at most 2 + 65,535 bytes, @chainsafe/libp2p-noise), so twice that
 * leaves room for clients that batch a length prefix or two frames together.
 */
export const MAX_MESSAGE_BYTES = 128 * 1024

/**
 * DHT provider records one peer may have stored on the relay: one per share it
 * announces (a share is one root CID, whatever its size).
 */
export const MAX_PROVIDERS_PER_PEER = 1024

/**
 * Provider records peers behind one IP address may have stored. Peer ids cost
 * nothing to make, so without this one address could fill the whole table by
 * announcing under new ids; 8 × the per-peer cap still fits a busy office.
 */
export const MAX_PROVIDERS_PER_IP = 8 * MAX_PROVIDERS_PER_PEER

/** Provider records in total: about 15 MB of memory at the most. */
export const MAX_PROVIDERS = 100_000

/**
 * How long a provider record lives without being announced again (kad-dht's
 * default). A browser's kad-dht re-announces its records 24 h before they
 * expire, checking hourly, so a tab open for days keeps them alive; a closed
 * tab's records go within 48 h.
 */
export const PROVIDER_TTL_MS = 48 * HOUR

export interface RelayLimits {
  maxConnectionsPerIp: number
  maxReservations: number
  maxReservationsPerIp: number
  maxHandshakesPerIp: number
  httpTimeoutMs: number
  keepAliveTimeoutMs: number
  handshakeTimeoutMs: number
  idleConnectionTimeoutMs: number
  streamIdleTimeoutMs: number
  maxMessageBytes: number
  maxProvidersPerPeer: number
  maxProvidersPerIp: number
  maxProviders: number
  providerTtlMs: number
}

export const DEFAULT_LIMITS: Readonly<RelayLimits> = Object.freeze({
  maxConnectionsPerIp: MAX_CONNECTIONS_PER_IP,
  maxReservations: MAX_RESERVATIONS,
  maxReservationsPerIp: MAX_RESERVATIONS_PER_IP,
  maxHandshakesPerIp: MAX_HANDSHAKES_PER_IP,
  httpTimeoutMs: HTTP_TIMEOUT_MS,
  keepAliveTimeoutMs: KEEP_ALIVE_TIMEOUT_MS,
  handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
  idleConnectionTimeoutMs: IDLE_CONNECTION_TIMEOUT_MS,
  streamIdleTimeoutMs: STREAM_IDLE_TIMEOUT_MS,
  maxMessageBytes: MAX_MESSAGE_BYTES,
  maxProvidersPerPeer: MAX_PROVIDERS_PER_PEER,
  maxProvidersPerIp: MAX_PROVIDERS_PER_IP,
  maxProviders: MAX_PROVIDERS,
  providerTtlMs: PROVIDER_TTL_MS
})

/** Every reserved tab keeps a connection; leave room for DHT lookups and relayed dials. */
export const CONNECTION_HEADROOM = 256

/** libp2p connections at once: one per reservation plus headroom. */
export function maxConnectionsOf (limits: Pick<RelayLimits, 'maxReservations'>): number {
  return limits.maxReservations + CONNECTION_HEADROOM
}

/**
 * TCP sockets on the public port at once, from everyone: every libp2p
 * connection plus short-lived HTTP sockets of page loads. Beyond it new sockets
 * are closed at once (file descriptors are finite).
 */
export const HTTP_SOCKET_HEADROOM = 512

export function maxSocketsOf (limits: Pick<RelayLimits, 'maxReservations'>): number {
  return maxConnectionsOf(limits) + HTTP_SOCKET_HEADROOM
}

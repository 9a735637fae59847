/**
 * Every timeout and bound of `chiral doctor`, each with its reason. The doctor
 * runs against a server across the internet that may be broken in any way, so
 * nothing it waits for or reads is unbounded.
 */

/** GET /bootstrap.json, TLS handshake included: the relay answers in milliseconds; 10 s covers a slow path. */
export const BOOTSTRAP_TIMEOUT_MS = 10_000
/**
 * Largest /bootstrap.json read. parseBootstrapDocument's own bounds (32
 * addresses, 16 servers of 8 URLs, 1 KiB per string) allow about 200 KiB;
 * anything beyond is refused before it is parsed.
 */
export const MAX_BOOTSTRAP_BYTES = 256 * 1024

/** One TCP or TLS connection (to the relay's port or to a TURN server): a handshake takes a few round trips. */
export const CONNECT_TIMEOUT_MS = 5_000

/** One libp2p dial (WebSocket, noise, yamux) of an announced address; libp2p's own default is 5 s per address. */
export const LIBP2P_DIAL_TIMEOUT_MS = 10_000
/** From connected to holding a circuit-relay reservation: identify, then one HOP RESERVE round trip. */
export const RESERVATION_TIMEOUT_MS = 10_000
/** Stopping the throwaway libp2p node; past it the doctor moves on (it exits anyway). */
export const LIBP2P_STOP_TIMEOUT_MS = 3_000

/**
 * One STUN transaction (request to response). RFC 5389 gives up after 39.5 s;
 * a person waiting at a terminal should not, and a server that answers at all
 * answers within a second.
 */
export const STUN_TRANSACTION_TIMEOUT_MS = 5_000
/** First UDP retransmission timeout (RFC 5389 section 7.2.1), doubled after each resend. */
export const STUN_INITIAL_RTO_MS = 500
/** Resolving a STUN/TURN host name. */
export const DNS_TIMEOUT_MS = 5_000
/**
 * How long a datagram sent to the TURN relayed address may take to come back
 * as a Data indication; resent every STUN_INITIAL_RTO_MS in case one is lost.
 */
export const RELAY_PROBE_TIMEOUT_MS = 5_000

/**
 * Largest STUN message accepted. The doctor's answers (Binding and Allocate
 * responses, errors, the Data indication carrying its own 32-byte probe) are a
 * few hundred bytes; 4 KiB leaves room for long REALM/NONCE/SOFTWARE values.
 */
export const MAX_STUN_MESSAGE_BYTES = 4096
/** Attributes per STUN message: a real answer carries fewer than ten. */
export const MAX_STUN_ATTRIBUTES = 32
/** REALM, NONCE and reason phrases are at most 763 bytes (RFC 5389 sections 15.6-15.8). */
export const MAX_STUN_TEXT_BYTES = 763
/**
 * Unrelated datagrams tolerated on one UDP socket before the doctor gives up on
 * it: a stray packet is ignored, a flood is an answer in itself.
 */
export const MAX_STRAY_DATAGRAMS = 64

/** Allocate attempts that may be answered 438 Stale Nonce before the doctor calls it a server fault. */
export const MAX_STALE_NONCE_RETRIES = 2

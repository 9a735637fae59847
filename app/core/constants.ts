/** Every bound and timeout in one place, named, with the reason for its value. */

/** Kubo's default chunk size: keeps our CIDs identical to `ipfs add --cid-version=1`. */
export const CHUNK_SIZE = 262_144
/** Kubo's default balanced-layout fan-out. */
export const MAX_CHILDREN_PER_NODE = 174

/** Largest block we accept from the wire: bitswap's customary 1 MiB limit (our own are 256 KiB). */
export const MAX_BLOCK_BYTES = 1_048_576
/** Largest CID we accept in a frame (multihash sha2-256 CIDs are 36 bytes). */
export const MAX_CID_BYTES = 128
/** Largest want list in one request frame. */
export const MAX_WANTS_PER_REQUEST = 64
/** Wants a server keeps queued per stream; more and the stream is reset. */
export const MAX_PENDING_WANTS_PER_STREAM = 256
/** Concurrent block streams one remote peer may hold open per connection. */
export const MAX_INBOUND_BLOCK_STREAMS = 4
/** Largest frame on the block protocol: a block plus its CID and header. */
export const MAX_FRAME_BYTES = MAX_BLOCK_BYTES + MAX_CID_BYTES + 16
/**
 * Largest frame a client sends: a WANT or CANCEL of MAX_WANTS_PER_REQUEST CIDs
 * of MAX_CID_BYTES (type byte, count varint, a 2-byte length varint per CID).
 * A sharer reads its peers' frames with this bound, so a client cannot make it
 * buffer a megabyte that could only ever be a BLOCK.
 */
export const MAX_REQUEST_FRAME_BYTES = 1 + 1 + MAX_WANTS_PER_REQUEST * (2 + MAX_CID_BYTES)

/** Blocks requested and not yet received, per peer: enough to fill a data channel (8 MiB at 256 KiB). */
export const DEFAULT_WINDOW_BLOCKS = 32

/** A block request gets no answer for this long: the peer is treated as gone. */
export const BLOCK_TIMEOUT_MS = 30_000
/** Finding providers gives up after this: users must hear "nobody has it" in seconds, not minutes. */
export const FIND_PROVIDERS_TIMEOUT_MS = 20_000
/**
 * Dialing one provider, every attempt included (the relayed signalling, ICE,
 * DTLS, SCTP). Two rounds of discovery and dialing must end within the 20 s in
 * which a user hears "no direct connection could be made".
 */
export const DIAL_TIMEOUT_MS = 7_000
/**
 * One address of a dial (libp2p's default is 6 s). Across the internet a
 * WebRTC dial takes several round trips through the relay and, with TURN, to
 * the TURN server first: 1-3 s at 100-300 ms RTT. Measured in the NAT lab
 * (no added latency): 0.3-1.5 s over 40 dials, EIM and TURN, none hung.
 */
export const ADDRESS_DIAL_TIMEOUT_MS = 6_000
/**
 * Providers dialed at once: a provider whose NAT cannot be crossed holds its
 * slot for a whole dial timeout, and must not delay the others.
 */
export const MAX_PARALLEL_PROVIDER_DIALS = 4
/** Announcing one CID in the DHT. */
export const PROVIDE_TIMEOUT_MS = 30_000
/** Reaching the relay at start-up before we report it unreachable. */
export const RELAY_CONNECT_TIMEOUT_MS = 15_000
/** Wait between attempts to reach the relay again. */
export const RELAY_RETRY_MS = 5_000
/**
 * TURN credentials are renewed when this fraction of their lifetime has passed,
 * so every new connection starts with at least half a lifetime left (coturn
 * checks them again on every allocation refresh).
 */
export const ICE_RENEW_FRACTION = 0.5
/** A failed renewal is tried again after this (the old credentials may still be valid). */
export const ICE_RENEW_RETRY_MS = 60_000
/** Fetching fresh ICE servers from the relay. */
export const ICE_RENEW_TIMEOUT_MS = 10_000
/** A connection that finds the TURN credentials expired waits this long for fresh ones (a dial has 6 s). */
export const ICE_EXPIRED_WAIT_MS = 2_000
/**
 * A network check gathers ICE candidates once. Chromium gives up on a STUN or
 * TURN server after about 10 s; past this we report what arrived.
 */
export const ICE_CHECK_TIMEOUT_MS = 12_000

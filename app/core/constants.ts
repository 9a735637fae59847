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
/** Concurrent block streams one remote peer may hold open per connection (libp2p refuses more at negotiation). */
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

/** Most blocks requested and not yet received, per peer: enough to fill a data channel (8 MiB at 256 KiB). */
export const DEFAULT_WINDOW_BLOCKS = 32
/** A new peer's window before its rate is known: a slow peer then holds few blocks, a fast one earns more within a round trip or two. */
export const INITIAL_WINDOW_BLOCKS = 8
/** The smallest window: one block arriving while the next is asked for. A stalled peer is cut to this. */
export const MIN_WINDOW_BLOCKS = 2
/** A peer's window holds what it sends in this long at its measured rate (a fast peer gets more, a slow one less). */
export const WINDOW_TARGET_MS = 1_000
/** A peer's rate is measured over this sliding window. */
export const PEER_RATE_WINDOW_MS = 2_000
/**
 * A peer whose next answer is this overdue counts as stalled and what it owes
 * is asked elsewhere too: the goal is that a peer that vanishes (tab closed,
 * network cut) costs about 2 s of progress.
 */
export const STALL_MIN_MS = 1_500
/** ...or this many blocks' time at the peer's own rate, if longer (a peer capped at 100 KB/s is slow, not stalled). */
export const STALL_BLOCK_TIMES = 4
/** A want is asked of at most this many peers at once (a stalled peer's, and the last ones in the endgame). */
export const MAX_ASKS_PER_WANT = 2
/**
 * Endgame before the peers' rates are known: with nothing left to ask for, a
 * want this old is asked of a second peer too (the first copy wins, the other
 * is cancelled). Younger wants are usually just in transit.
 */
export const ENDGAME_AFTER_MS = 300
/**
 * Endgame: a want is raced only if the second peer would deliver it in less
 * than 1/ENDGAME_MARGIN of the time the first still needs (by their measured
 * rates and queues): duplicates cost upload, so a race must clearly pay.
 */
export const ENDGAME_MARGIN = 2
/** A peer that lacked a block is asked again after this: it may be downloading it (a chain A -> B -> C). */
export const LACK_RETRY_MS = 3_000
/** Bad blocks a peer may send before we stop talking to it. */
export const MAX_BAD_BLOCKS_PER_PEER = 3
/** How long a peer dropped for bad blocks is refused. */
export const PEER_BAN_MS = 10 * 60_000
/** The scheduler looks again this often while wants are out: stalls and lapsed refusals have no event. */
export const SCHEDULE_TICK_MS = 250
/** A running transfer re-checks its deadlines (grace, search cadence) this often. */
export const TRANSFER_TICK_MS = 500
/** Every provider gone, or none has what is left: keep looking this long before ProviderGoneError. */
export const PROVIDER_GONE_GRACE_MS = 30_000
/** While providers serve a download, look for more this often (new sharers, tabs that finished downloading). */
export const PROVIDER_SEARCH_INTERVAL_MS = 10_000
/** With no useful provider, search again this soon after the last search ended. */
export const REDISCOVERY_GAP_MS = 2_000
/** Downloads running at once; more wait in the queue (each holds links, wants and IndexedDB writes). */
export const MAX_RUNNING_TRANSFERS = 4
/**
 * Positions one download waits for from the network at once; the rest of the
 * DAG stays on its walk stack. Far more than all peers' windows together
 * (32 peers x 32), so it never starves a peer; it keeps a share of 2^18 small
 * files from becoming 2^18 wants (and scans over them) at once.
 */
export const MAX_WANTS_PER_TRANSFER = 1024
/** DAG positions checked against the store per step, concurrently. */
export const LOCAL_CHECK_BATCH = 256
/**
 * Blocks a file read (Save, Range, playback) asks the store for ahead of its
 * consumer. IndexedDB answers a 256 KiB get in well under a millisecond, so a
 * few in flight keep the stream busy; more only hold memory (at most this many
 * blocks, 1 MiB each at worst, per read), and the consumer's pace must decide.
 */
export const READ_AHEAD_BLOCKS = 4
/**
 * A player's read (Open, Range) runs further ahead: each block not stored yet
 * is asked of the downloading page and waits about one window of the peer's
 * queued blocks, so asking 16 at once (4 MiB) costs one such wait where 4 at
 * a time cost four. Still bounded: 16 blocks per open request.
 */
export const MEDIA_READ_AHEAD_BLOCKS = 16
/**
 * The service worker waits this long for a block it asked the downloading page
 * to fetch first (a player's range). A live peer sends an urgent block within
 * its window's drain time (about a second); past this the range fails with an
 * error instead of a player that hangs with no word.
 */
export const FETCH_FIRST_TIMEOUT_MS = 20_000
/** Progress events per transfer at most this often (the first bytes are never held back). */
export const PROGRESS_INTERVAL_MS = 100

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

/*
 * Bounds on what a DAG from the network may claim (app/core/transfer/dag-walker.ts).
 * A hostile share can say anything in a few blocks: these stop it before it
 * costs a tab its memory, its stack or an hour of walking.
 */

/**
 * Levels below a share's root: folders, HAMT shard levels and file nodes
 * together. A Kubo balanced DAG of 1 TiB (174 links per node) is 4 levels and a
 * 256-fanout HAMT at most 8; trickle DAGs and nested folders need more, chains
 * built to exhaust the walk need far more.
 */
export const MAX_DAG_DEPTH = 64
/**
 * Links in one node. Kubo writes at most 174 per file node and 1,024 per HAMT
 * shard, and shards a plain folder past 256 KiB of links (~6,000 entries); a
 * 1 MiB block (MAX_BLOCK_BYTES) cannot hold more than ~26,000 links at all.
 */
export const MAX_DAG_LINKS_PER_NODE = 16_384
/**
 * Positions a download expands (each a block fetched or read back): twice the
 * ~4.2 million blocks of a 1 TiB file in Kubo's 256 KiB chunks. Stops a DAG
 * whose distinct nodes share children (a lattice) from being walked 2^depth times.
 */
export const MAX_DAG_VISITS = 2 ** 23
/**
 * Blocks of a share counting repeats (a leaf linked 1,000 times counts 1,000):
 * the work of reading every file once. 1 TiB in 16 KiB chunks, 16x what Kubo's
 * chunker makes of it. A zero-byte leaf linked 1000 x 1000 x 1000 adds no bytes,
 * yet a reader would walk it a billion times.
 */
export const MAX_DAG_BLOCKS = 2 ** 26
/**
 * Declared file bytes of a whole share, repeats included: 1 TiB. A browser
 * gives an origin at most ~60% of the disk (Chromium, Safari; Firefox less),
 * so no tab can store more than a large disk; past this a share is a claim,
 * not content. Far below 2^53, so byte counts stay exact as Numbers.
 */
export const MAX_SHARE_BYTES = 2 ** 40
/**
 * Files and folders in a share, repeats included. Every path is listed (the
 * share record keeps them all in IndexedDB, the UI shows them): a node_modules
 * folder has ~100,000 entries; 262,144 leaves room for that and keeps a
 * share's list to tens of megabytes.
 */
export const MAX_SHARE_ENTRIES = 2 ** 18
/** HAMT shard fan-out: Kubo (boxo) accepts powers of two from 8 to 1,024 (its default is 256). */
export const MIN_HAMT_FANOUT = 8
export const MAX_HAMT_FANOUT = 1024

// Serving other peers (app/core/serve/). A sharer answers strangers: everything
// a remote peer can make it hold is bounded, and every wait has a deadline.

/**
 * Block streams one remote peer may hold open to us, over all its connections
 * (libp2p's MAX_INBOUND_BLOCK_STREAMS counts one connection). A downloader's
 * transfers share one stream per provider (transfer/swarm.ts), so 4 leave room
 * for a stream replaced after a reconnect while the old one still winds down;
 * past that a peer is only taking slots from others. More: reset at once.
 */
export const MAX_SERVED_STREAMS_PER_PEER = 4
/**
 * Block streams served at once, all peers together: 64 downloaders at one
 * stream each, 16 at their MAX_SERVED_STREAMS_PER_PEER. Each stream holds at
 * most one block read from storage (<= MAX_BLOCK_BYTES), so this also caps that
 * memory at 64 MiB.
 */
export const MAX_SERVED_STREAMS_TOTAL = 64
/**
 * Wants one remote peer may have queued with us over all its streams. Two
 * streams' worth of MAX_PENDING_WANTS_PER_STREAM: a downloader keeps
 * DEFAULT_WINDOW_BLOCKS (32) in flight per peer, so an honest one never gets
 * near it, and one peer cannot queue MAX_SERVED_STREAMS_PER_PEER full streams.
 */
export const MAX_PENDING_WANTS_PER_PEER = 2 * MAX_PENDING_WANTS_PER_STREAM
/**
 * Wants queued with us by all peers together: twice what MAX_SERVED_STREAMS_TOTAL
 * streams at DEFAULT_WINDOW_BLOCKS each would ask for, so honest downloaders
 * never meet it, while the work a sharer can owe stays bounded (4096 blocks).
 */
export const MAX_PENDING_WANTS_TOTAL = 4096
/**
 * Blocks an import may have written and not yet committed (8 MiB): enough for
 * the store to commit full shared transactions while the importer goes on,
 * and a bound on what a fast disk read can pile up in memory ahead of IndexedDB.
 */
export const IMPORT_WRITES_IN_FLIGHT = 32
/**
 * A served stream reads this many queued wants ahead of the one it is sending:
 * IndexedDB reads made together share a transaction (4.6 ms of CPU per MB
 * against 6.4 one by one; read-ahead.ts refills in batches), and the next block
 * is ready when the channel drains. At most this many (plus one) per stream in memory.
 */
export const SERVE_READ_AHEAD_BLOCKS = 4

/**
 * A served stream with nothing queued and no message from its client for this
 * long is closed. A downloading session sends wants as each answer arrives, so
 * a stream silent for 20 s is one its client is done with or never meant to
 * use; libp2p's own inactivity timeout (120 s) holds such streams far longer.
 */
export const SERVE_STREAM_IDLE_MS = 20_000
/**
 * After closing an idle stream, the client has this long to close its end
 * before the stream is reset: a round trip over a slow path plus a background
 * tab's throttled timers (Chrome wakes those once a second).
 */
export const SERVE_CLOSE_GRACE_MS = 5_000
/**
 * A send that cannot drain for this long (the client stopped reading) aborts
 * the stream. WebRTC reports drain only when its 2 MiB send buffer is empty
 * again: at 64 KiB/s (a 512 kbit/s uplink) that takes 32 s of honest progress,
 * so a minute tells a slow link from a stalled reader.
 */
export const SERVE_WRITE_STALL_MS = 60_000
/**
 * Burst of the upload speed limit: one default-size block (CHUNK_SIZE), so a
 * limited sharer still sends whole blocks at once and the limit shows as gaps
 * between them. A block larger than this waits for a full bucket and leaves a
 * debt the next block waits out, so the average rate still holds.
 */
export const UPLOAD_BURST_BYTES = CHUNK_SIZE
/**
 * The smallest upload limit a peer accepts: a 256 KiB block must go out in a
 * few seconds, well inside the downloaders' BLOCK_TIMEOUT_MS, or they take
 * this peer for a gone one instead of a slow one (50 kB/s: about 5 s a block).
 */
export const MIN_UPLOAD_LIMIT_BYTES_PER_SECOND = 50_000

/**
 * A downloader that asked us for no block this long is no longer shown as
 * downloading (sharer activity): longer than the pauses of a healthy download
 * (first-connection stalls, a provider search), short enough that a closed tab
 * leaves the list within seconds.
 */
export const SERVE_ACTIVITY_IDLE_MS = 10_000
/**
 * Most blocks the sharer-activity index maps to their shares (about 30 GB of
 * 256 KiB blocks, a few MB of memory). Shares past it are still served; their
 * blocks count in the total only.
 */
export const SHARE_INDEX_MAX_BLOCKS = 131_072
/** A served block of no indexed share looks at the library again at most this often (a download in progress gains blocks). */
export const SHARE_INDEX_REFRESH_MS = 5_000

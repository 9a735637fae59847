/** Wire protocol identifiers shared by the browser peer and the relay. */

/**
 * Our block exchange protocol (framed want/block/dont-have/cancel messages,
 * protocol/block-codec.ts). 1.1.0 added CANCEL; 1.2.0 the CHANNEL offer
 * (answers on a data channel of their own, network/block-channel.ts).
 */
export const BLOCK_PROTOCOL = '/chiral/blocks/1.2.0'
/**
 * Served too: a tab still running an earlier version asks with 1.1.0 (no
 * channel offer) or 1.0.0 (1.1.0 without CANCEL); the server answers those on
 * the stream.
 */
export const LEGACY_BLOCK_PROTOCOLS = ['/chiral/blocks/1.1.0', '/chiral/blocks/1.0.0']
/**
 * What a client asks for, in order: a sharer still on 1.1.0 is answered on the
 * stream. (@libp2p/webrtc always negotiates with multistream-select, so the
 * fallback costs nothing when the first is taken.) Not 1.0.0: it lacks CANCEL.
 */
export const CLIENT_BLOCK_PROTOCOLS = [BLOCK_PROTOCOL, '/chiral/blocks/1.1.0']
/**
 * Kademlia protocol id. A private prefix keeps a Chiral swarm from mixing with the
 * public IPFS DHT; the content (CIDs, blocks) stays IPFS-compatible.
 */
export const DHT_PROTOCOL = '/chiral/kad/1.0.0'

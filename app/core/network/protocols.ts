/** Wire protocol identifiers shared by the browser peer and the relay. */

/** Our block exchange protocol (framed want/block/dont-have/cancel messages, protocol/block-codec.ts). 1.1.0 added CANCEL. */
export const BLOCK_PROTOCOL = '/chiral/blocks/1.1.0'
/**
 * Served too: a tab still running the previous version asks with 1.0.0, which
 * is 1.1.0 without CANCEL (the server side handles both the same way).
 */
export const LEGACY_BLOCK_PROTOCOLS = ['/chiral/blocks/1.0.0']
/**
 * Kademlia protocol id. A private prefix keeps a Chiral swarm from mixing with the
 * public IPFS DHT; the content (CIDs, blocks) stays IPFS-compatible.
 */
export const DHT_PROTOCOL = '/chiral/kad/1.0.0'

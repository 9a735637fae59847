/**
 * Moved to serve/block-server.ts. This re-export only keeps peer.ts compiling
 * until it imports from there (createBlockServer); delete it then.
 */
export { createBlockHandler } from '../serve/block-server.ts'

import { sha256 } from 'multiformats/hashes/sha2'
import { equals } from 'uint8arrays/equals'
import { BlockVerificationError, UnsupportedContentError } from '../errors.ts'
import { SUPPORTED_CODECS } from './parse-cid.ts'
import type { CID } from 'multiformats/cid'

/**
 * Never trust a peer: a block is only stored when its bytes hash to its CID.
 * sha2-256 uses WebCrypto in browsers (~1 GB/s), so this is not the bottleneck.
 */
export async function verifyBlock (cid: CID, bytes: Uint8Array): Promise<void> {
  if (!SUPPORTED_CODECS.has(cid.code)) throw new UnsupportedContentError(`codec 0x${cid.code.toString(16)} is not UnixFS`)
  if (cid.multihash.code !== sha256.code) throw new UnsupportedContentError('only sha2-256 blocks are accepted')
  const digest = await sha256.digest(bytes)
  if (!equals(digest.digest, cid.multihash.digest)) throw new BlockVerificationError(cid.toString())
}

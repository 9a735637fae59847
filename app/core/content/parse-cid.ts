import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import * as dagPb from '@ipld/dag-pb'
import { sha256 } from 'multiformats/hashes/sha2'
import { InvalidCidError } from '../errors.ts'

/** Codecs a Chiral share can contain: UnixFS is dag-pb nodes over raw leaves. */
export const SUPPORTED_CODECS = new Set([raw.code, dagPb.code])

/**
 * Accept what a person pastes: a CID, a share link `<origin>/#/<cid>`, or an
 * `ipfs://` / `/ipfs/` path. Rejects anything else before any network traffic.
 */
export function parseCidInput (text: string): CID {
  const input = text.trim()
  if (input === '') throw new InvalidCidError(text, 'it is empty')
  const candidate = extractCid(input)
  let cid: CID
  try {
    cid = CID.parse(candidate)
  } catch {
    throw new InvalidCidError(text)
  }
  if (!SUPPORTED_CODECS.has(cid.code)) throw new InvalidCidError(text, 'not UnixFS content')
  if (cid.multihash.code !== sha256.code) throw new InvalidCidError(text, 'only sha2-256 hashes are supported')
  return cid.toV1()
}

function extractCid (input: string): string {
  const hash = input.indexOf('#/')
  if (hash >= 0) return input.slice(hash + 2).split(/[/?#]/)[0] ?? ''
  const ipfsUrl = /^ipfs:\/\/([^/?#]+)/.exec(input)
  if (ipfsUrl?.[1] != null) return ipfsUrl[1]
  const ipfsPath = /\/ipfs\/([^/?#]+)/.exec(input)
  if (ipfsPath?.[1] != null) return ipfsPath[1]
  return input
}

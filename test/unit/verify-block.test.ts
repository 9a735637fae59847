import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { identity } from 'multiformats/hashes/identity'
import { describe, expect, it } from 'vitest'
import { verifyBlock } from '../../app/core/content/verify-block.ts'
import { patternBytes } from '../helpers/bytes.ts'

describe('verifyBlock', () => {
  it('accepts a block whose bytes hash to its CID', async () => {
    const bytes = patternBytes(262_144)
    await expect(verifyBlock(CID.createV1(raw.code, await sha256.digest(bytes)), bytes)).resolves.toBeUndefined()
  })

  it('rejects a block with one flipped bit', async () => {
    const bytes = patternBytes(262_144)
    const cid = CID.createV1(raw.code, await sha256.digest(bytes))
    const corrupted = bytes.slice()
    corrupted[1000] = (corrupted[1000] ?? 0) ^ 0x01
    await expect(verifyBlock(cid, corrupted)).rejects.toHaveProperty('name', 'BlockVerificationError')
  })

  it('rejects hashes and codecs we do not verify', async () => {
    const bytes = Uint8Array.of(1, 2, 3)
    await expect(verifyBlock(CID.createV1(raw.code, identity.digest(bytes)), bytes)).rejects.toHaveProperty('name', 'UnsupportedContentError')
    await expect(verifyBlock(CID.createV1(0x71, await sha256.digest(bytes)), bytes)).rejects.toHaveProperty('name', 'UnsupportedContentError')
  })
})

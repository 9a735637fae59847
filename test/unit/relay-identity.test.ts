import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { IDENTITY_FILE, loadOrCreateIdentity } from '../../relay/identity.ts'

describe('relay identity', () => {
  let dir: string

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chiral-identity-'))
  })

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('creates an Ed25519 key readable only by its owner, in a new directory', async () => {
    const dataDir = join(dir, 'nested', 'relay')
    const key = await loadOrCreateIdentity(dataDir)
    expect(key.type).toBe('Ed25519')
    expect((await stat(join(dataDir, IDENTITY_FILE))).mode & 0o777).toBe(0o600)
  })

  it('returns the same identity on the next start', async () => {
    const first = peerIdFromPrivateKey(await loadOrCreateIdentity(dir))
    const second = peerIdFromPrivateKey(await loadOrCreateIdentity(dir))
    expect(second.toString()).toBe(first.toString())
  })

  it('refuses a damaged key file instead of silently replacing it', async () => {
    await writeFile(join(dir, IDENTITY_FILE), 'not a key')
    await expect(loadOrCreateIdentity(dir)).rejects.toMatchObject({ name: 'IdentityError' })
  })

  it('honours an aborted signal', async () => {
    await expect(loadOrCreateIdentity(join(dir, 'x'), { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' })
  })
})

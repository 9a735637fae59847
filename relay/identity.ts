import { mkdir, open, readFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { IdentityError } from './errors.ts'
import type { PrivateKey } from '@libp2p/interface'

/** The key file inside the data directory: the libp2p protobuf encoding of an Ed25519 key. */
export const IDENTITY_FILE = 'relay-key.pb'
/** Only the owner may read the key: whoever holds it can impersonate the relay. */
const KEY_FILE_MODE = 0o600
const DATA_DIR_MODE = 0o700

/**
 * Load the relay's private key from `dataDir`, or create and store one. A stable
 * key means a stable peer id, so the bootstrap addresses browsers hold stay valid.
 */
export async function loadOrCreateIdentity (dataDir: string, options: { signal?: AbortSignal } = {}): Promise<PrivateKey> {
  const file = join(dataDir, IDENTITY_FILE)
  const existing = await readKeyFile(file, options.signal)
  if (existing != null) return existing

  options.signal?.throwIfAborted()
  await mkdir(dataDir, { recursive: true, mode: DATA_DIR_MODE })
  const key = await generateKeyPair('Ed25519')
  // write aside and rename, so a crash never leaves a half-written key behind
  const tmp = `${file}.${process.pid}.tmp`
  const handle = await open(tmp, 'wx', KEY_FILE_MODE)
  try {
    await handle.writeFile(privateKeyToProtobuf(key), { signal: options.signal })
    await handle.sync()
  } finally {
    await handle.close()
  }
  await rename(tmp, file)
  return key
}

async function readKeyFile (file: string, signal?: AbortSignal): Promise<PrivateKey | undefined> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(file, { signal })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    if (signal?.aborted === true) throw err
    throw new IdentityError(`Cannot read the relay identity ${file}: ${(err as Error).message}`, { cause: err })
  }
  try {
    return privateKeyFromProtobuf(bytes)
  } catch (err) {
    throw new IdentityError(`The relay identity ${file} is damaged (${(err as Error).message}). Move it away to create a new identity; browsers will then need the new bootstrap address.`, { cause: err })
  }
}

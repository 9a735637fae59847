import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'

const IDENTITY_KEY = 'identity'

export interface MetaStore {
  getMeta(key: string): Promise<Uint8Array | undefined>
  putMeta(key: string, value: Uint8Array): Promise<void>
}

/** The peer id survives reloads: the key lives next to the blocks it announces. */
export async function loadOrCreateIdentity (meta: MetaStore): Promise<PrivateKey> {
  const stored = await meta.getMeta(IDENTITY_KEY)
  if (stored != null) return privateKeyFromProtobuf(stored)
  const key = await generateKeyPair('Ed25519')
  await meta.putMeta(IDENTITY_KEY, privateKeyToProtobuf(key))
  return key
}

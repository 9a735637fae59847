/**
 * Ask the browser to keep this page's storage (shares and downloads) instead
 * of evicting it under pressure without warning. Asked once per page, when the
 * person first shares or downloads; a refusal changes nothing else.
 */
let asked: Promise<boolean> | undefined

export async function requestPersistentStorage (storage: Pick<StorageManager, 'persist'> | undefined = globalThis.navigator?.storage): Promise<boolean> {
  if (storage?.persist == null) return false
  asked ??= storage.persist().catch(() => false)
  return asked
}

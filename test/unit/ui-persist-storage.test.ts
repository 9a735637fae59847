import { describe, expect, it } from 'vitest'
import { requestPersistentStorage } from '../../app/ui/kernel/persist-storage.ts'

describe('persistent storage', () => {
  it('is asked for once per page, whatever the number of shares and downloads', async () => {
    let asked = 0
    const storage = { persist: async () => { asked++; return true } }
    expect(await requestPersistentStorage(storage)).toBe(true)
    expect(await requestPersistentStorage(storage)).toBe(true)
    expect(asked).toBe(1)
  })
})

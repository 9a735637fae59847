import { describe, expect, it } from 'vitest'
import { checkRoomFor, SHARE_STORAGE_OVERHEAD } from '../../app/core/storage/storage-room.ts'
import { QuotaExceededError } from '../../app/core/errors.ts'
import { errorText } from '../../app/ui/error-text.ts'

const browser = (usage: number, quota: number) => ({ estimate: async () => ({ usage, quota }) })

describe('room for a share', () => {
  it('refuses, before anything is written, a share larger than what the browser has free', async () => {
    const err = await checkRoomFor(600e6, browser(9.5e9, 10e9)).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(QuotaExceededError)
    expect(err).toMatchObject({ name: 'QuotaExceededError', free: 500e6, needed: Math.ceil(600e6 * SHARE_STORAGE_OVERHEAD) })
    expect(errorText(err)).toMatch(/needs about 612 MB, but your browser lets Chiral store only 500 MB more/)
  })

  it('lets through a share that fits, one of unknown size, and a runtime without an estimate', async () => {
    await expect(checkRoomFor(400e6, browser(9.5e9, 10e9))).resolves.toBeUndefined()
    await expect(checkRoomFor(undefined, browser(10e9, 10e9))).resolves.toBeUndefined()
    await expect(checkRoomFor(1e12, undefined)).resolves.toBeUndefined()
    await expect(checkRoomFor(1e12, { estimate: async () => ({}) })).resolves.toBeUndefined()
    await expect(checkRoomFor(1e12, { estimate: async () => { throw new Error('not allowed') } })).resolves.toBeUndefined()
  })
})

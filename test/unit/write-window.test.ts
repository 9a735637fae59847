import { describe, expect, it } from 'vitest'
import { WriteWindow } from '../../app/core/storage/write-window.ts'

function pending (): { promise: Promise<void>, resolve: () => void, reject: (err: Error) => void } {
  let resolve!: () => void
  let reject!: (err: Error) => void
  const promise = new Promise<void>((...args) => { [resolve, reject] = args })
  return { promise, resolve, reject }
}

describe('WriteWindow', () => {
  it('lets the writer go on until `limit` writes are outstanding, then waits for the oldest', async () => {
    const window = new WriteWindow(2)
    const writes = [pending(), pending(), pending()]
    await window.add(writes[0]!.promise)
    await window.add(writes[1]!.promise)
    let third = false
    const adding = window.add(writes[2]!.promise).then(() => { third = true })
    await Promise.resolve()
    expect(third).toBe(false)
    writes[0]!.resolve()
    await adding
    expect(third).toBe(true)
    let drained = false
    const draining = window.drain().then(() => { drained = true })
    writes[2]!.resolve()
    await new Promise(resolve => { setImmediate(resolve) })
    expect(drained).toBe(false) // the second is still being written
    writes[1]!.resolve()
    await draining
  })

  it('throws the first failure from the next add, and from drain', async () => {
    const window = new WriteWindow(4)
    const failing = pending()
    await window.add(failing.promise)
    failing.reject(Object.assign(new Error('full'), { name: 'QuotaExceededError' }))
    await new Promise(resolve => { setImmediate(resolve) }) // the failure has been heard
    await expect(window.add(Promise.resolve())).rejects.toHaveProperty('name', 'QuotaExceededError')
    await expect(window.drain()).rejects.toHaveProperty('name', 'QuotaExceededError')
  })
})

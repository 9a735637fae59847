import { describe, expect, it } from 'vitest'
import { navigate } from '../../app/sw/navigation-route.ts'

const page = new Request('https://chiral.test/')
const cachedIndex = async (url: string): Promise<Response | undefined> => new Response(`cached ${url}`)

describe('navigation route (service worker)', () => {
  it('prefers the network: a fresh page, and its 4xx answers as they are', async () => {
    for (const status of [200, 404]) {
      const res = await navigate(page, { fetch: async () => new Response('fresh', { status }), cachedIndex })
      expect([res.status, await res.text()]).toEqual([status, 'fresh'])
    }
  })

  it('offline or on a server error, opens the precached index.html', async () => {
    const offline = await navigate(page, { fetch: async () => { throw new TypeError('Failed to fetch') }, cachedIndex })
    expect(await offline.text()).toBe('cached /index.html')
    const broken = await navigate(page, { fetch: async () => new Response('down', { status: 503 }), cachedIndex })
    expect(await broken.text()).toBe('cached /index.html')
  })

  it('without a precached page, the network\'s failure stands', async () => {
    const none = async (): Promise<undefined> => undefined
    await expect(navigate(page, { fetch: async () => { throw new TypeError('Failed to fetch') }, cachedIndex: none })).rejects.toThrow('Failed to fetch')
    expect((await navigate(page, { fetch: async () => new Response('down', { status: 503 }), cachedIndex: none })).status).toBe(503)
  })
})

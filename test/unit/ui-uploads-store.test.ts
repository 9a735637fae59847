import { TypedEventEmitter } from '@libp2p/interface'
import { createRoot } from 'solid-js'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createUploadsStore } from '../../app/ui/kernel/uploads-store.ts'
import { servedTotalText, uploadPercentText, uploadRouteText, uploadSentence } from '../../app/ui/upload-text.ts'
import type { PeerEvents, UploadActivity } from '../../app/core/types.ts'

class FakeUploadsPeer extends TypedEventEmitter<PeerEvents> {
  activity: UploadActivity = { bytesServed: 0, blocksServed: 0, downloads: [] }
  reads = 0
  uploads (): UploadActivity { this.reads++; return this.activity }
  serve (bytes: number): void { this.dispatchEvent(new CustomEvent('block:served', { detail: { cid: 'c', peer: 'p', bytes } })) }
}

afterEach(() => { vi.useRealTimers() })

describe('sharer activity in the UI', () => {
  it('reads the activity again after served blocks (at most once per interval), and keeps reading until every entry expired', () => {
    vi.useFakeTimers()
    const peer = new FakeUploadsPeer()
    const { activity, dispose } = createRoot(dispose => ({ activity: createUploadsStore(peer, 500), dispose }))
    expect(peer.reads).toBe(1)
    const entry = { peer: '12D3KooWAbCdEfGhIjKlMn', cid: 'bafy', bytes: 4_200_000, blocks: 17, fraction: 0.42, route: 'direct' as const, startedAt: 0, lastAt: 0 }
    peer.activity = { bytesServed: 4_200_000, blocksServed: 17, downloads: [entry] }
    for (let i = 0; i < 10; i++) peer.serve(262_144)
    vi.advanceTimersByTime(500)
    expect(peer.reads).toBe(2)
    expect(activity().downloads).toEqual([entry])
    // no more blocks: still read while an entry is listed, so its expiry shows
    peer.activity = { bytesServed: 4_200_000, blocksServed: 17, downloads: [] }
    vi.advanceTimersByTime(500)
    expect(activity().downloads).toEqual([])
    vi.advanceTimersByTime(5_000)
    expect(peer.reads).toBe(3) // idle: no polling
    dispose()
    peer.serve(1)
    vi.advanceTimersByTime(1_000)
    expect(peer.reads).toBe(3)
  })

  it('words: percent, route, one sentence per entry, the total', () => {
    const entry = { peer: '12D3KooWAbCdEfGhIjKlMn', cid: 'bafy', bytes: 4_200_000, blocks: 17, startedAt: 0, lastAt: 0 }
    expect(uploadPercentText({ fraction: 0.429 })).toBe('42 %')
    expect(uploadPercentText({})).toBe('')
    expect(uploadRouteText({ route: 'turn' })).toBe('via TURN server')
    expect(uploadRouteText({})).toBe('path not known yet')
    expect(uploadSentence({ ...entry, fraction: 0.5, route: 'direct' }, 'report.pdf')).toBe('Peer 12D3KooW…IjKlMn received 4.20 MB (50 %) of report.pdf, direct')
    expect(servedTotalText(0)).toMatch(/Nothing sent/)
    expect(servedTotalText(1_500_000)).toBe('Sent 1.50 MB to others in this visit.')
  })
})

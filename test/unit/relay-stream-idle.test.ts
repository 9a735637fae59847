import { yamux } from '@chainsafe/libp2p-yamux'
import { multiaddrConnectionPair } from '@libp2p/utils'
import { describe, expect, it, vi } from 'vitest'
import { withStreamIdleTimeout } from '../../relay/stream-idle.ts'
import type { Stream, StreamMuxer } from '@libp2p/interface'

/** Short enough for a unit test, long enough that scheduling on a busy machine does not fake idleness. */
const IDLE_MS = 300

/** A yamux pair over an in-memory connection; only `watched` enforces inactivity, like the relay. */
function muxerPair (): { watched: StreamMuxer, plain: StreamMuxer } {
  const [a, b] = multiaddrConnectionPair()
  const watched = withStreamIdleTimeout(yamux({ streamOptions: { inactivityTimeout: IDLE_MS } }))({})
  const plain = yamux()()
  return { watched: watched.createStreamMuxer(a), plain: plain.createStreamMuxer(b) }
}

async function nextStream (muxer: StreamMuxer): Promise<Stream> {
  return await new Promise(resolve => { muxer.addEventListener('stream', evt => { resolve(evt.detail) }, { once: true }) })
}

async function closeEvent (stream: Stream): Promise<{ error?: Error, at: number }> {
  return await new Promise(resolve => { stream.addEventListener('close', evt => { resolve({ error: evt.error, at: Date.now() }) }, { once: true }) })
}

describe('withStreamIdleTimeout', () => {
  it('resets an inbound stream that carries nothing for its inactivityTimeout', async () => {
    const { watched, plain } = muxerPair()
    const arriving = nextStream(watched)
    const remote = await plain.createStream()
    remote.send(Uint8Array.of(1))
    const stream = await arriving
    expect(stream.inactivityTimeout).toBe(IDLE_MS)
    const started = Date.now()
    const closed = await closeEvent(stream)
    expect(closed.error?.name).toBe('StreamIdleTimeoutError')
    expect(closed.at - started).toBeGreaterThanOrEqual(IDLE_MS - 20)
  })

  it('keeps a stream open while data flows either way, and resets outbound streams too', async () => {
    // the gaps between messages are the point of this test: a fake clock makes them exact and instant
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    try {
      const { watched, plain } = muxerPair()
      const arriving = nextStream(plain)
      const outbound = await watched.createStream()
      const closed = closeEvent(outbound)
      outbound.send(Uint8Array.of(0))
      const remote = await arriving
      // data in both directions, each gap shorter than the timeout, for 3 timeouts in all
      for (let i = 0; i < 6; i++) {
        await vi.advanceTimersByTimeAsync(IDLE_MS / 2)
        if (i % 2 === 0) remote.send(Uint8Array.of(i))
        else outbound.send(Uint8Array.of(i))
      }
      await vi.advanceTimersByTimeAsync(0) // let the last message arrive
      expect(outbound.status).toBe('open')
      const quiet = Date.now()
      await vi.advanceTimersByTimeAsync(IDLE_MS - 1)
      expect(outbound.status).toBe('open')
      await vi.advanceTimersByTimeAsync(1)
      const { error, at } = await closed
      expect(error?.name).toBe('StreamIdleTimeoutError')
      expect(at - quiet).toBe(IDLE_MS)
    } finally {
      vi.useRealTimers()
    }
  })
})

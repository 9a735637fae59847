import { describe, expect, it } from 'vitest'
import { guardInitChannels } from '../../app/core/network/webrtc-init-guard.ts'

/** A data channel as far as @libp2p/webrtc's dialer uses it: readyState on the prototype, events, close(). */
class FakeChannel extends EventTarget {
  state: RTCDataChannelState = 'connecting'
  closeCalls = 0
  readonly label: string
  constructor (label: string) { super(); this.label = label }
  get readyState (): RTCDataChannelState { return this.state }
  close (): void {
    this.closeCalls++
    if (this.state === 'closed' || this.state === 'closing') return
    this.state = 'closing'
    setTimeout(() => { this.remoteClosed() }, 1)
  }

  opened (): void { this.state = 'open'; this.dispatchEvent(new Event('open')) }
  remoteClosed (): void { this.state = 'closed'; this.dispatchEvent(new Event('close')) }
}

class FakePeerConnection {
  createDataChannel (label: string): RTCDataChannel {
    return new FakeChannel(label) as unknown as RTCDataChannel
  }
}

/** Never guarded: what the dialer sees today. */
class PlainPeerConnection {
  createDataChannel (label: string): RTCDataChannel {
    return new FakeChannel(label) as unknown as RTCDataChannel
  }
}

async function once (target: EventTarget, type: string, ms = 200): Promise<boolean> {
  return new Promise(resolve => {
    const timer = setTimeout(() => { resolve(false) }, ms)
    target.addEventListener(type, () => { clearTimeout(timer); resolve(true) }, { once: true })
  })
}

/** What initiate-connection.js does once the peer connection is connected. */
async function dialerFinishes (channel: RTCDataChannel): Promise<boolean> {
  if (channel.readyState !== 'open' && !await once(channel, 'open')) return false
  channel.close()
  return once(channel, 'close')
}

describe('guardInitChannels (@libp2p/webrtc dialer race)', () => {
  it('without the guard, an init channel the remote closed before we looked hangs the dialer', async () => {
    const channel = new PlainPeerConnection().createDataChannel('init') as unknown as FakeChannel
    channel.opened()
    channel.remoteClosed()
    expect(await dialerFinishes(channel as unknown as RTCDataChannel)).toBe(false)
  })

  it('with it, the same channel reads open and closing it fires close', async () => {
    const proto = FakePeerConnection.prototype
    guardInitChannels(proto as unknown as RTCPeerConnection)
    guardInitChannels(proto as unknown as RTCPeerConnection) // once only
    const channel = new FakePeerConnection().createDataChannel('init')
    const fake = channel as unknown as FakeChannel
    fake.opened()
    fake.remoteClosed()
    expect(channel.readyState).toBe('open')
    expect(await dialerFinishes(channel)).toBe(true)
    expect(channel.readyState).toBe('closed')
    expect(fake.closeCalls).toBe(0) // nothing left to close
  })

  it('keeps the ordinary order: wait for open, close, see close', async () => {
    const channel = new FakePeerConnection().createDataChannel('init')
    const fake = channel as unknown as FakeChannel
    expect(channel.readyState).toBe('connecting')
    setTimeout(() => { fake.opened() }, 5)
    expect(await dialerFinishes(channel)).toBe(true)
    expect(fake.closeCalls).toBe(1)
    expect(channel.readyState).toBe('closed')
  })

  it('a remote close in progress (closing) still lets the dialer finish', async () => {
    const channel = new FakePeerConnection().createDataChannel('init')
    const fake = channel as unknown as FakeChannel
    fake.opened()
    fake.state = 'closing'
    setTimeout(() => { fake.remoteClosed() }, 5)
    expect(await dialerFinishes(channel)).toBe(true)
  })

  it('leaves other channels alone', () => {
    const channel = new FakePeerConnection().createDataChannel('')
    const fake = channel as unknown as FakeChannel
    fake.opened()
    fake.remoteClosed()
    expect(channel.readyState).toBe('closed')
    expect(Object.hasOwn(channel, 'readyState')).toBe(false)
  })
})

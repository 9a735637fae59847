const GUARDED = Symbol.for('chiral.guardInitChannels')

/**
 * Works around a race in @libp2p/webrtc 6.0 that hung about one WebRTC dial in
 * three here for the whole address timeout (6 s) when a tab dialed two peers at
 * once. The dialer (private-to-private/initiate-connection.js) creates an
 * 'init' data channel, waits until its RTCPeerConnection reports `connected`,
 * and only then, if `readyState !== 'open'`, waits for the channel's `open`
 * event, closes it and waits for `close`. The listener's muxer closes that
 * channel as soon as its own side is connected (muxer.js onDataChannel). On a
 * busy tab the dialer often learns `open` and then the remote's `close` before
 * its own `connected`: the channel reads `closed` and the dial waits for an
 * `open` that already happened.
 *
 * Here an 'init' channel we created reads `open` from its first `open` event
 * until we close it ourselves, and closing one the remote already closed fires
 * `close` again, so the dialer carries on. Other channels are untouched.
 * Remove once @libp2p/webrtc copes with an init channel that is already closed.
 */
export function guardInitChannels (proto: Pick<RTCPeerConnection, 'createDataChannel'> | undefined): void {
  if (proto == null || Object.hasOwn(proto, GUARDED)) return
  const create = proto.createDataChannel
  proto.createDataChannel = function (this: RTCPeerConnection, label: string, options?: RTCDataChannelInit): RTCDataChannel {
    const channel = create.call(this, label, options)
    if (label === 'init') guardInitChannel(channel)
    return channel
  }
  Object.defineProperty(proto, GUARDED, { value: true })
}

function guardInitChannel (channel: RTCDataChannel): void {
  const actualState = (): RTCDataChannelState => Reflect.get(Object.getPrototypeOf(channel) as object, 'readyState', channel) as RTCDataChannelState
  let opened = false
  let closeFired = false
  let closedByUs = false
  channel.addEventListener('open', () => { opened = true })
  channel.addEventListener('close', () => { closeFired = true })
  Object.defineProperty(channel, 'readyState', {
    configurable: true,
    get: (): RTCDataChannelState => opened && !closedByUs ? 'open' : actualState()
  })
  const close = channel.close
  channel.close = (): void => {
    if (closedByUs) return
    closedByUs = true
    if (!closeFired) {
      close.call(channel)
      return
    }
    // already closed by the remote: the dialer is about to wait for this event
    setTimeout(() => { channel.dispatchEvent(new Event('close')) }, 0)
  }
}

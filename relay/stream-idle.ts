import { logger } from '@libp2p/logger'
import { StreamIdleTimeoutError } from './errors.ts'
import type { Stream, StreamMuxer, StreamMuxerFactory } from '@libp2p/interface'

const log = logger('chiral:relay:streams')

/** What the relay's muxer factory needs from libp2p (whatever the muxer asks for). */
type MuxerFactoryFn<C> = (components: C) => StreamMuxerFactory

/**
 * libp2p 3 streams carry an `inactivityTimeout` (yamux sets it from its
 * `streamOptions`) that the interface documents as "aborted after this long
 * without data", but nothing in libp2p enforces it. This wraps a muxer factory
 * so that every stream, inbound or outbound, is reset with a
 * StreamIdleTimeoutError once it has sent and received nothing for its
 * `inactivityTimeout`.
 */
export function withStreamIdleTimeout<C> (muxer: MuxerFactoryFn<C>): MuxerFactoryFn<C> {
  return components => {
    const factory = muxer(components)
    return {
      protocol: factory.protocol,
      createStreamMuxer: maConn => watchMuxer(factory.createStreamMuxer(maConn))
    }
  }
}

/** Streams of AbstractStreamMuxer-based muxers (yamux, mplex) pass through these two methods. */
interface HookableMuxer extends StreamMuxer {
  onRemoteStream?: (stream: Stream) => void
}

function watchMuxer (muxer: StreamMuxer): StreamMuxer {
  const hookable = muxer as HookableMuxer
  const onRemoteStream = hookable.onRemoteStream?.bind(muxer)
  if (onRemoteStream != null) {
    // before the stream is announced, so no byte of it goes unseen
    hookable.onRemoteStream = stream => {
      watchStream(stream)
      onRemoteStream(stream)
    }
  } else {
    log.error('muxer %s has no onRemoteStream: inbound streams are not watched for inactivity', muxer.protocol)
  }
  const createStream = muxer.createStream.bind(muxer)
  muxer.createStream = async options => {
    const stream = await createStream(options)
    watchStream(stream)
    return stream
  }
  return muxer
}

/** Data arrives through onData (AbstractMessageStream) and leaves through send. */
interface WatchableStream extends Stream {
  onData?: (data: Parameters<Stream['send']>[0]) => void
}

function watchStream (stream: WatchableStream): void {
  const timeoutMs = stream.inactivityTimeout
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) return
  const timer = setTimeout(() => {
    log('resetting stream %s (%s) after %d ms without data', stream.id, stream.protocol, timeoutMs)
    stream.abort(new StreamIdleTimeoutError(`No data on the stream for ${timeoutMs} ms`))
  }, timeoutMs)
  // an idle stream must not keep the process alive on its own
  timer.unref()
  const onData = stream.onData?.bind(stream)
  if (onData != null) {
    stream.onData = data => {
      timer.refresh()
      onData(data)
    }
  }
  const send = stream.send.bind(stream)
  stream.send = data => {
    timer.refresh()
    return send(data)
  }
  stream.addEventListener('close', () => { clearTimeout(timer) }, { once: true })
}

import { WebSocket } from 'ws'
import { CONNECT_TIMEOUT_MS } from './constants.ts'
import { withTimeout } from './net-connect.ts'

/**
 * What a WebSocket upgrade to `url` gets: opened, or the HTTP status that came
 * instead, or the error. libp2p's dial (the WHATWG WebSocket) hides all of it
 * behind an empty error event, which tells an operator nothing.
 */
export async function webSocketOutcome (url: string, options: { signal?: AbortSignal } = {}): Promise<string> {
  const signal = withTimeout(options.signal, CONNECT_TIMEOUT_MS)
  const socket = new WebSocket(url, { perMessageDeflate: false })
  try {
    return await new Promise<string>(resolve => {
      socket.once('open', () => { resolve('the WebSocket opens') })
      socket.once('unexpected-response', (_req, res) => {
        resolve(`the WebSocket upgrade is answered with HTTP ${res.statusCode ?? '?'} instead of 101`)
        res.resume()
      })
      socket.once('error', err => { resolve(`the WebSocket fails: ${err.message}`) })
      signal.addEventListener('abort', () => { resolve('the WebSocket upgrade gets no answer') }, { once: true })
    })
  } finally {
    socket.terminate()
  }
}

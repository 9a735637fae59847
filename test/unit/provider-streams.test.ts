import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import * as raw from 'multiformats/codecs/raw'
import { describe, expect, it } from 'vitest'
import { providerStreams } from '../../app/core/network/provider-streams.ts'
import type { PeerStream } from '../../app/core/transfer/peer-stream.ts'
import type { Connection, Libp2p, PeerId, PeerInfo, Stream } from '@libp2p/interface'

/**
 * providerStreams against a Libp2p stand-in with only what it touches:
 * connections (each newStream under the test's control), a DHT query that
 * yields when told, and dials that open at once.
 */

async function peerId (): Promise<PeerId> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
}

const root = CID.createV1(raw.code, await sha256.digest(new Uint8Array([1, 2, 3])))

interface Gate<T> { promise: Promise<T>, open: (value: T) => void, fail: (err: Error) => void }
function gate<T> (): Gate<T> {
  let open!: (value: T) => void
  let fail!: (err: Error) => void
  const promise = new Promise<T>((resolve, reject) => { open = resolve; fail = reject })
  return { promise, open, fail }
}

function fakeStream (peer: string): Stream & { aborted: boolean } {
  const stream = { peer, aborted: false, abort () { stream.aborted = true } }
  return stream as unknown as Stream & { aborted: boolean }
}

/** A connection whose block stream opens when the test says (or never). */
function fakeConnection (remotePeer: PeerId, newStream: (signal?: AbortSignal) => Promise<Stream>): Connection & { asked: number } {
  const connection = {
    remotePeer,
    limits: undefined,
    status: 'open',
    direct: true,
    asked: 0,
    newStream: async (_protocol: string, options?: { signal?: AbortSignal }) => { connection.asked++; return newStream(options?.signal) }
  }
  return connection as unknown as Connection & { asked: number }
}

/** Resolves when `signal` aborts, rejecting like libp2p does. */
async function never (signal?: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => { signal?.addEventListener('abort', () => { reject(signal.reason) }, { once: true }) })
}

interface FakeNet {
  libp2p: Libp2p
  /** Set once findProviders was called. */
  finding: Gate<void>
  /** Yield a provider from the DHT query. */
  provide(info: PeerInfo): void
  /** End the DHT query. */
  endFind(): void
}

async function fakeNet (connections: Connection[], dialed: (peer: PeerId) => Promise<Connection>): Promise<FakeNet> {
  const self = await peerId()
  const finding = gate<void>()
  const queue: Array<PeerInfo | null> = []
  let wake: (() => void) | undefined
  const push = (item: PeerInfo | null): void => { queue.push(item); wake?.() }
  const libp2p = {
    peerId: self,
    getConnections: (peer?: PeerId) => peer == null ? connections : connections.filter(c => c.remotePeer.equals(peer)),
    peerStore: { get: async () => ({ addresses: [] }) },
    dial: async (target: PeerId) => dialed(target),
    contentRouting: {
      findProviders: async function * (_cid: CID, options: { signal?: AbortSignal }) {
        finding.open()
        while (true) {
          options.signal?.throwIfAborted()
          const next = queue.shift()
          if (next === null) return
          if (next != null) { yield next; continue }
          await new Promise<void>(resolve => {
            wake = resolve
            options.signal?.addEventListener('abort', () => { resolve() }, { once: true }) // a real query ends on abort too
          })
        }
      }
    }
  }
  return { libp2p: libp2p as unknown as Libp2p, finding, provide: info => { push(info) }, endFind: () => { push(null) } }
}

function streams (libp2p: Libp2p, signal: AbortSignal): AsyncGenerator<PeerStream> {
  return providerStreams({ libp2p, root, signal, isRelay: () => false, turnConfigured: () => false })
}

describe('providerStreams', () => {
  it('opens every connected peer\'s stream and starts the DHT query at once, without waiting for any of them', async () => {
    const [a, b] = [await peerId(), await peerId()]
    const gates = [gate<Stream>(), gate<Stream>()]
    const connections = [fakeConnection(a, async () => gates[0]!.promise), fakeConnection(b, async () => gates[1]!.promise)]
    const net = await fakeNet(connections, async () => { throw new Error('no dial expected') })
    const controller = new AbortController()
    const it = streams(net.libp2p, controller.signal)
    const first = it.next()
    await net.finding.promise // the DHT query runs while neither connected peer has answered
    expect(connections.map(c => c.asked)).toEqual([1, 1])
    gates[1]!.open(fakeStream('b')) // the second answers first: it is not held behind the first
    expect((await first).value?.peer).toBe(b.toString())
    gates[0]!.open(fakeStream('a'))
    expect((await it.next()).value?.peer).toBe(a.toString())
    net.endFind()
    expect((await it.next()).done).toBe(true)
  })

  it('a provider found in the DHT is dialed and yielded while a connected peer still has not answered', async () => {
    const [slow, provider] = [await peerId(), await peerId()]
    const slowConnection = fakeConnection(slow, never)
    const providerStream = fakeStream('provider')
    const dialedConnection = fakeConnection(provider, async () => providerStream)
    const net = await fakeNet([slowConnection], async peer => {
      expect(peer.equals(provider)).toBe(true)
      return dialedConnection
    })
    const controller = new AbortController()
    const it = streams(net.libp2p, controller.signal)
    const first = it.next()
    await net.finding.promise
    net.provide({ id: provider, multiaddrs: [] })
    const got = await first
    expect(got.value?.peer).toBe(provider.toString())
    expect(got.value?.stream).toBe(providerStream)
    controller.abort()
    await expect(it.next()).rejects.toThrow()
  })

  it('a connected peer without the block protocol is skipped; the search still ends cleanly (it was a candidate)', async () => {
    const [other, provider] = [await peerId(), await peerId()]
    const refusing = fakeConnection(other, async () => { throw Object.assign(new Error('protocol selection failed'), { name: 'UnsupportedProtocolError' }) })
    const dialedConnection = fakeConnection(provider, async () => fakeStream('provider'))
    const net = await fakeNet([refusing], async () => dialedConnection)
    const it = streams(net.libp2p, new AbortController().signal)
    const first = it.next()
    await net.finding.promise
    net.provide({ id: provider, multiaddrs: [] })
    net.endFind()
    expect((await first).value?.peer).toBe(provider.toString())
    expect((await it.next()).done).toBe(true)
    expect(refusing.asked).toBe(1)
  })

  it('a stream that opens after the consumer stopped is closed, never leaked', async () => {
    const late = await peerId()
    const opening = gate<Stream>()
    const connection = fakeConnection(late, async () => opening.promise)
    const net = await fakeNet([connection], async () => { throw new Error('no dial expected') })
    const controller = new AbortController()
    const it = streams(net.libp2p, controller.signal)
    const first = it.next()
    await net.finding.promise
    controller.abort()
    await expect(first).rejects.toThrow()
    const stream = fakeStream('late')
    opening.open(stream)
    await expect.poll(() => stream.aborted).toBe(true)
  })

  it('nobody connected and nobody found: NoProvidersError', async () => {
    const net = await fakeNet([], async () => { throw new Error('no dial expected') })
    const it = streams(net.libp2p, new AbortController().signal)
    const first = it.next()
    await net.finding.promise
    net.endFind()
    await expect(first).rejects.toMatchObject({ name: 'NoProvidersError' })
  })
})

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { peerIdFromString } from '@libp2p/peer-id'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_CONNECTIONS_PER_IP, MAX_RESERVATIONS_PER_IP } from '../../relay/limits.ts'
import { reserveWithRealPeer } from '../helpers/browser-like-peer.ts'
import { rawConnect } from '../helpers/raw-socket.ts'
import { killRelayProcesses, startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts'
import { tryReservation, type ReserveAttempt } from '../helpers/reserve-client.ts'
import type { PeerId } from '@libp2p/interface'

/**
 * One address must not be able to take the relay over. The attacker dials from
 * 127.0.0.2 (loopback accepts any 127/8 source) with a new identity per
 * attempt; the honest peer dials from 127.0.0.1. The relay's total is lowered
 * to 48 reservations so that, without the per-address cap, the attacker could
 * fill it; the per-address caps keep their defaults.
 */
const ATTEMPTS = 1000
/** Attempts in flight at once: more than the relay lets one address handshake at a time. */
const CONCURRENCY = 24
const TOTAL_RESERVATIONS = 48
const ATTACKER = '127.0.0.2'
const STEP_TIMEOUT_MS = 10_000

describe('per-address caps on the relay process', { timeout: 60_000 }, () => {
  let dataDir: string
  const held: ReserveAttempt[] = []

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'chiral-per-ip-'))
  })

  afterAll(async () => {
    for (const attempt of held) attempt.close()
    killRelayProcesses()
    await rm(dataDir, { recursive: true, force: true })
  })

  interface Target { relay: RelayProcess, port: number, relayPeerId: PeerId, relayAddress: string }

  async function start (...flags: string[]): Promise<Target> {
    const relay = await startRelayProcess(['--port', '0', '--no-build', '--data-dir', dataDir, '--max-reservations', String(TOTAL_RESERVATIONS), ...flags])
    const bootstrap = await (await fetch(`${relay.url}/bootstrap.json`)).json() as { peerId: string, multiaddrs: string[] }
    return { relay, port: Number(new URL(relay.url).port), relayPeerId: peerIdFromString(bootstrap.peerId), relayAddress: bootstrap.multiaddrs[0] as string }
  }

  /** ATTEMPTS reservations by fresh identities from ATTACKER, CONCURRENCY at a time; keeps every connection it gets. */
  async function attack ({ port, relayPeerId }: Target): Promise<Record<ReserveAttempt['outcome'] | 'kept', number>> {
    const outcomes = { reserved: 0, refused: 0, failed: 0, kept: 0 }
    let next = 0
    const worker = async (): Promise<void> => {
      while (next < ATTEMPTS) {
        next++
        const attempt = await tryReservation({ url: `ws://127.0.0.1:${port}`, relayPeerId, localAddress: ATTACKER, signal: AbortSignal.timeout(STEP_TIMEOUT_MS) })
        outcomes[attempt.outcome]++
        if (attempt.outcome === 'failed') continue
        outcomes.kept++
        held.push(attempt)
      }
    }
    const started = Date.now()
    await Promise.all(Array.from({ length: CONCURRENCY }, worker))
    console.log(`${ATTEMPTS} reservation attempts from ${ATTACKER} in ${Date.now() - started} ms:`, outcomes)
    return outcomes
  }

  it('without a per-address cap (the control), one address takes every reservation', async () => {
    const target = await start('--max-reservations-per-ip', String(MAX_CONNECTIONS_PER_IP))
    const outcomes = await attack(target)
    expect(outcomes.reserved).toBe(TOTAL_RESERVATIONS)
    const honest = await tryReservation({ url: `ws://127.0.0.1:${target.port}`, relayPeerId: target.relayPeerId, signal: AbortSignal.timeout(STEP_TIMEOUT_MS) })
    held.push(honest)
    expect(honest.outcome).toBe('refused')
    await target.relay.stop()
  })

  it(`${ATTEMPTS} reservation attempts from one address leave room for an honest peer on another`, async () => {
    const target = await start()
    const { relay, port, relayAddress } = target
    const outcomes = await attack(target)

    expect(outcomes.reserved + outcomes.refused + outcomes.failed).toBe(ATTEMPTS)
    expect(outcomes.reserved).toBeGreaterThan(0)
    expect(outcomes.reserved).toBeLessThanOrEqual(MAX_RESERVATIONS_PER_IP)
    // connections beyond the socket cap never got to ask
    expect(outcomes.kept).toBeLessThanOrEqual(MAX_CONNECTIONS_PER_IP)

    // while the attacker holds its share, its next socket is closed before a byte is read...
    const extra = await rawConnect(port, { localAddress: ATTACKER })
    extra.socket.write('GET /bootstrap.json HTTP/1.1\r\nHost: relay\r\n\r\n')
    expect((await extra.closed).length).toBe(0)
    // ...and an honest peer from another address is served and gets a reservation
    expect((await fetch(`${relay.url}/bootstrap.json`)).status).toBe(200)
    expect(await reserveWithRealPeer(relayAddress, AbortSignal.timeout(STEP_TIMEOUT_MS))).toContain('/p2p-circuit')
    expect(relay.child.exitCode).toBeNull()
  })
})

import { randomBytes } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Lab, SERVER_IP, type HomeSpec } from './lab.ts'
import type { NamespaceBrowserOptions } from './namespace-browser.ts'
import { startLabRelay, startTurn, TURN_PORT, type LabProcess, type LabRelay } from './lab-servers.ts'

/**
 * The homes every NAT case is built from: A (two hosts, one LAN) and B behind
 * ordinary home routers, C and D behind symmetric NATs, E behind a router that
 * drops all UDP.
 */
export const HOMES: HomeSpec[] = [
  { name: 'A', nat: 'eim', hosts: 2 },
  { name: 'B', nat: 'eim', hosts: 1 },
  { name: 'C', nat: 'symmetric', hosts: 1 },
  { name: 'D', nat: 'symmetric', hosts: 1 },
  { name: 'E', nat: 'eim-udp-blocked', hosts: 1 }
]

export const RELAY_PORT = 8080
export const STUN_ONLY_RELAY_PORT = 8081
export const TLS_RELAY_PORT = 8443
/** The TLS relay's name, as on the internet: browsers reach it by name over https and wss. */
export const TLS_RELAY_NAME = 'relay.chiral.test'

export interface StandardLab {
  lab: Lab
  turn: LabProcess
  /** A relay that names STUN and TURN (UDP and TCP) with minted credentials. */
  relay: LabRelay
  /** A relay that names a STUN server but no TURN server. */
  stunOnlyRelay: LabRelay
  /**
   * A relay as deployed on the internet: one TLS port, reached by name, so it
   * announces /dns4/<name>/tcp/<port>/tls/ws, browsers refuse private
   * addresses and the DHT drops them (the public-network code paths).
   */
  tlsRelay: LabRelay
  /** How lab browsers must be started to reach all of the above. */
  browserOptions: NamespaceBrowserOptions
  stop(): Promise<void>
}

const STUN_PROBE = fileURLToPath(new URL('./stun-probe.ts', import.meta.url))

/** The reflexive address a lab host gets from the lab's STUN server (throws when it gets none). */
export function stunMappedAddress (hostNs: string): { address: string, port: number } {
  const out = execFileSync('ip', ['netns', 'exec', hostNs, process.execPath, STUN_PROBE, SERVER_IP, String(TURN_PORT)], { encoding: 'utf8' })
  return JSON.parse(out) as { address: string, port: number }
}

/** A throwaway self-signed certificate for `name` (openssl CLI), standing in for a real one. */
function selfSignedCertificate (dir: string, name: string): { cert: string, key: string } {
  const cert = join(dir, 'cert.pem')
  const key = join(dir, 'key.pem')
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
    '-subj', `/CN=${name}`, '-addext', `subjectAltName=DNS:${name}`, '-keyout', key, '-out', cert], { stdio: 'ignore' })
  return { cert, key }
}

/** Build the lab, start coturn and both relays, and check that STUN answers through an ordinary home router. */
export async function startStandardLab (): Promise<StandardLab> {
  const lab = Lab.create(HOMES)
  const started: LabProcess[] = []
  try {
    const secret = randomBytes(16).toString('hex')
    const turn = await startTurn(secret)
    started.push(turn)
    const turnUrls = [`turn:${SERVER_IP}:${TURN_PORT}?transport=udp`, `turn:${SERVER_IP}:${TURN_PORT}?transport=tcp`]
    const stun = `stun:${SERVER_IP}:${TURN_PORT}`
    const iceArgs = ['--stun', stun, '--turn', turnUrls.join(','), '--turn-secret', secret]
    const certDir = mkdtempSync(join(tmpdir(), 'chiral-lab-tls-'))
    const tls = selfSignedCertificate(certDir, TLS_RELAY_NAME)
    const relays = await Promise.allSettled([
      startLabRelay(RELAY_PORT, iceArgs),
      startLabRelay(STUN_ONLY_RELAY_PORT, ['--stun', stun]),
      startLabRelay(TLS_RELAY_PORT, [...iceArgs, '--tls-cert', tls.cert, '--tls-key', tls.key])
    ])
    rmSync(certDir, { recursive: true, force: true }) // the relays have read them (or failed)
    for (const r of relays) if (r.status === 'fulfilled') started.push(r.value)
    const failure = relays.find(r => r.status === 'rejected')
    if (failure != null) throw failure.reason
    const [relay, stunOnlyRelay, tlsRelay] = relays.map(r => (r as PromiseFulfilledResult<LabRelay>).value) as [LabRelay, LabRelay, LabRelay]
    // the lab itself works: a host behind home A's NAT is seen at the router's address
    const mapped = stunMappedAddress(lab.home('A').hostNs[0]!)
    if (mapped.address !== lab.home('A').wanIp) throw new Error(`lab broken: STUN saw home A at ${mapped.address}, expected ${lab.home('A').wanIp}`)
    return {
      lab,
      turn,
      relay,
      stunOnlyRelay,
      tlsRelay,
      browserOptions: {
        secureOrigins: [relay.url, stunOnlyRelay.url],
        labIps: [SERVER_IP],
        hosts: { [TLS_RELAY_NAME]: SERVER_IP },
        acceptLabCertificates: true
      },
      stop: async () => {
        lab.destroy() // kills everything inside the lab at once, so no stop below can hang
        await Promise.all(started.map(async p => p.stop()))
      }
    }
  } catch (err) {
    lab.destroy()
    await Promise.all(started.map(async p => p.stop().catch(() => {})))
    throw err
  }
}

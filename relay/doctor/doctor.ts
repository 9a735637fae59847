import { checkBootstrap } from './check-bootstrap.ts'
import { failed, type CheckResult } from './check-result.ts'
import { checkStun } from './check-stun.ts'
import { checkTurn } from './check-turn.ts'
import { parseIceUrl, type IceUrl } from './ice-url.ts'
import { TurnRateLimitedError } from './turn-errors.ts'
import type { BootstrapDocument } from '../../app/core/protocol/bootstrap-document.ts'
import type { TurnCredentials } from './turn-session.ts'

export interface DoctorInit {
  /** The relay's page, e.g. https://chiral.example.com */
  page: URL
  /** Called with each result as soon as it and every result before it are in: the output keeps a fixed order. */
  onResult?: (result: CheckResult) => void
  signal?: AbortSignal
}

export interface DoctorReport {
  results: CheckResult[]
  /** A host named by the ICE servers, for the summary's suggestions. */
  turnHost?: string
}

/**
 * Check a deployed relay end to end: its page and /bootstrap.json first (the
 * rest depends on it), then, all at once, its libp2p addresses and every STUN
 * and TURN server it hands to browsers.
 */
export async function runDoctor (init: DoctorInit): Promise<DoctorReport> {
  const results: CheckResult[] = []
  const emit = (result: CheckResult): void => {
    results.push(result)
    init.onResult?.(result)
  }
  const options = { signal: init.signal }
  const bootstrap = await checkBootstrap(init.page, options)
  bootstrap.results.forEach(emit)
  const document = bootstrap.document
  if (document == null) return { results }

  const ice = iceChecksOf(document)
  // loaded here: libp2p takes a while to import, and a failed bootstrap does not need it
  const libp2p = import('./check-libp2p.ts').then(async ({ checkLibp2p }) => await checkLibp2p(document, init.page, options))
  const running: Array<Promise<CheckResult[]>> = [
    libp2p.catch(err => [failed('libp2p', 'a libp2p node to dial from', err)]),
    ...ice.stun.map(async url => [await checkStun(url, options)]),
    ...ice.turn.map(async ({ url, credentials }) => [await checkTurn(url, credentials, options)]),
    ...ice.invalid.map(async url => [failed('ICE', url, new Error(`cannot parse the ICE server URL "${url}"`))])
  ]
  if (ice.turn.length === 0 && document.iceServersTtl != null) {
    // TURN credentials carry a TTL; a TTL without them means this address is over its mint rate
    running.push(Promise.resolve([failed('TURN', 'TURN credentials', new TurnRateLimitedError(document.iceServersTtl))]))
  }
  for (const batch of running) (await batch).forEach(emit)
  return { results, ...(ice.host != null ? { turnHost: ice.host } : {}) }
}

interface IceChecks {
  stun: IceUrl[]
  turn: Array<{ url: IceUrl, credentials: TurnCredentials }>
  invalid: string[]
  host?: string
}

function iceChecksOf (document: BootstrapDocument): IceChecks {
  const checks: IceChecks = { stun: [], turn: [], invalid: [] }
  const seen = new Set<string>()
  for (const server of document.iceServers) {
    for (const text of server.urls) {
      if (seen.has(text)) continue
      seen.add(text)
      const url = parseIceUrl(text)
      if (url == null) {
        checks.invalid.push(text)
      } else if (url.kind === 'stun') {
        checks.stun.push(url)
      } else if (server.username != null && server.credential != null) {
        checks.turn.push({ url, credentials: { username: server.username, password: server.credential } })
      }
      checks.host ??= url?.host
    }
  }
  return checks
}

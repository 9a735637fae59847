import { isPrivateHost } from '../address-scope.ts'
import { failed, passed, skipped, type Capability, type CheckResult } from './check-result.ts'
import { STUN_TRANSACTION_TIMEOUT_MS } from './constants.ts'
import { type IceUrl } from './ice-url.ts'
import { resolveHost } from './net-connect.ts'
import { probeRelayedPort } from './relay-probe.ts'
import { formatAddress } from './stun-attributes.ts'
import { openStunClient } from './stun-client.ts'
import { PrivateRelayedAddressError } from './turn-errors.ts'
import { allocate, type TurnAllocation, type TurnCredentials } from './turn-session.ts'

const CAPABILITY: Record<IceUrl['transport'], Capability> = { udp: 'turn-udp', tcp: 'turn-tcp', tls: 'turn-tls', dtls: 'turn-tls' }

/**
 * Allocate on the TURN server with the credentials the relay minted, as a
 * browser would; check that the relayed address is usable and reachable from
 * here; then free the allocation (Refresh, LIFETIME 0).
 */
export async function checkTurn (url: IceUrl, credentials: TurnCredentials, options: { signal?: AbortSignal } = {}): Promise<CheckResult> {
  const capability = CAPABILITY[url.transport]
  // browsers do not speak TURN over DTLS, so a turns:…?transport=udp URL serves nobody
  if (url.transport === 'dtls') return skipped('TURN', `${url.url}: TURN over DTLS is not checked (browsers do not use it; use turns:…?transport=tcp)`)
  try {
    const { address, family } = await resolveHost(url.host, options)
    const client = await openStunClient({ transport: url.transport, host: url.host, port: url.port }, address, family, options)
    let allocation: TurnAllocation | undefined
    try {
      allocation = await allocate(client, credentials, options)
      const relayed = formatAddress(allocation.relayed)
      if (isPrivateHost(allocation.relayed.address) && !isPrivateHost(address)) throw new PrivateRelayedAddressError(relayed)
      const reached = await probeRelayedPort(client, allocation, options)
      const mapped = allocation.mapped == null ? '' : `; this machine is ${formatAddress(allocation.mapped)} as seen from there`
      return passed('TURN', `${url.url} (${address}): relayed address ${relayed}, ${reached}${mapped}`, { capability })
    } finally {
      // free the relayed port now rather than when its lifetime runs out (10 minutes by default)
      await allocation?.release({ signal: AbortSignal.timeout(STUN_TRANSACTION_TIMEOUT_MS) }).catch(() => {})
      client.close()
    }
  } catch (err) {
    return failed('TURN', url.url, err, { capability })
  }
}

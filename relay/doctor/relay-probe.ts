import { randomBytes } from 'node:crypto'
import { isPrivateHost } from '../address-scope.ts'
import { createSocket } from 'node:dgram'
import { RELAY_PROBE_TIMEOUT_MS, STUN_INITIAL_RTO_MS } from './constants.ts'
import { withTimeout } from './net-connect.ts'
import { Attr, formatAddress, Method } from './stun-attributes.ts'
import { attributeOf } from './stun-message.ts'
import { PermissionRefusedError, RelayPortBlockedError, type StunErrorResponseError } from './turn-errors.ts'
import type { StunClient } from './stun-client.ts'
import type { TurnAllocation } from './turn-session.ts'

/**
 * Prove that the relayed port can be reached, as the other browser of a
 * TURN-relayed call must reach it: permit this machine's address on the
 * allocation, send a datagram from a second socket to the relayed address, and
 * wait for it to come back through the TURN server as a Data indication. An
 * allocation alone proves nothing about the firewall in front of the relay
 * ports, which is the most often forgotten one.
 */
export async function probeRelayedPort (client: StunClient, allocation: TurnAllocation, options: { signal?: AbortSignal } = {}): Promise<string> {
  const { relayed, mapped } = allocation
  // without XOR-MAPPED-ADDRESS (RFC 5766 requires it) there is no address to permit; and a
  // permission for our IPv4 address would not let an IPv6 probe through
  if (mapped == null || mapped.family !== relayed.family) return 'not probed (no usable XOR-MAPPED-ADDRESS)'
  try {
    await allocation.permit(mapped, options)
  } catch (err) {
    // a hardened coturn refuses to relay to private addresses (denied-peer-ip), as it should;
    // only a refusal of a public address is a fault
    if ((err as StunErrorResponseError).code !== 403) throw err
    if (isPrivateHost(mapped.address)) return `not probed: coturn will not relay to this machine's private address ${mapped.address} (denied-peer-ip, as it should); run the doctor from outside to check the relay ports`
    throw new PermissionRefusedError(mapped.address)
  }
  const probe = Buffer.concat([Buffer.from('chiral doctor '), randomBytes(16)])
  const socket = createSocket(relayed.family === 6 ? 'udp6' : 'udp4')
  // errors (an ICMP unreachable for a relayed port nobody can reach) only mean "not delivered"
  socket.on('error', () => {})
  const deadline = withTimeout(options.signal, RELAY_PROBE_TIMEOUT_MS)
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    await new Promise<void>((resolve, reject) => {
      client.onIndication(message => {
        const data = attributeOf(message, Attr.DATA)
        if (message.method === Method.DATA && data != null && probe.equals(data)) resolve()
      })
      deadline.addEventListener('abort', () => {
        reject(options.signal?.aborted === true ? options.signal.reason : new RelayPortBlockedError(formatAddress(relayed), RELAY_PROBE_TIMEOUT_MS))
      }, { once: true })
      // UDP may drop a datagram: resend until one comes back or time is up
      const send = (): void => {
        socket.send(probe, relayed.port, relayed.address)
        timer = setTimeout(send, STUN_INITIAL_RTO_MS)
      }
      send()
    })
    return 'reached from here'
  } finally {
    clearTimeout(timer)
    client.onIndication(() => {})
    socket.close()
  }
}

/**
 * `sudo node test/nat/lab-up.ts`: build the NAT lab with its relays and coturn
 * and keep it up until Ctrl-C, for poking at by hand (e.g. with
 * `node test/nat/try-case.ts chn-hA1 chn-hC1`). The test suite builds its own.
 */
import { startStandardLab } from './standard-lab.ts'

const lab = await startStandardLab()
console.log(`lab up: relay with TURN ${lab.relay.url}, STUN only ${lab.stunOnlyRelay.url}, TLS ${lab.tlsRelay.url}; homes ${lab.lab.homes.map(h => `${h.name}=${h.nat}`).join(' ')}`)
for (const s of ['SIGINT', 'SIGTERM'] as const) {
  process.on(s, () => { void lab.stop().then(() => process.exit(0)) })
}
// SIGUSR2 prints what coturn and the relays said so far
process.on('SIGUSR2', () => {
  for (const [name, p] of [['coturn', lab.turn], ['relay', lab.relay], ['STUN-only relay', lab.stunOnlyRelay], ['TLS relay', lab.tlsRelay]] as const) {
    console.log(`--- ${name}\n${p.output.join('\n')}`)
  }
})

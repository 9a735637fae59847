import { expect, test } from './fixtures.ts'
import type { LabHost } from './cases.ts'

interface CheckCase {
  name: string
  where: LabHost
  relay: 'turn' | 'stun-only'
  srflx: boolean
  /** TURN transports that must have worked, space separated as the page lists them. */
  relay_: string
}

/** "Check my network" from inside each kind of home: the user's (and the operator's) doctor. */
const CHECKS: CheckCase[] = [
  { name: 'behind a home router: a public address, TURN over UDP and TCP', where: { home: 'A', host: 1 }, relay: 'turn', srflx: true, relay_: 'udp tcp' },
  { name: 'behind a router that drops UDP: no public address, TURN over TCP only', where: { home: 'E', host: 1 }, relay: 'turn', srflx: false, relay_: 'tcp' },
  { name: 'a relay without TURN: a public address, and the page says TURN is missing', where: { home: 'C', host: 1 }, relay: 'stun-only', srflx: true, relay_: '' }
]

for (const c of CHECKS) {
  test(`network check ${c.name}`, async ({ lab, pageIn }) => {
    const page = await pageIn(c.where)
    await page.open((c.relay === 'turn' ? lab.relay : lab.stunOnlyRelay).url)
    await page.page.getByTestId('network-check').click()
    const result = page.page.getByTestId('network-check-result')
    await expect(result).toBeVisible()
    expect(await result.getAttribute('data-srflx')).toBe(String(c.srflx))
    expect(await result.getAttribute('data-relay')).toBe(c.relay_)
    if (c.srflx) await expect(page.page.getByTestId('network-srflx')).toContainText(lab.lab.home(c.where.home).wanIp)
    if (c.relay === 'stun-only') await expect(result).toContainText('does not offer')
  })
}

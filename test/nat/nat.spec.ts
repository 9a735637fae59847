import { installMarks, readMarks } from '../../bench/page-marks.ts'
import { makeFile, TRANSFER_TIMEOUT_MS } from '../e2e/chiral-page.ts'
import { NAT_CASES, type FailureCase, type NatCase } from './cases.ts'
import { expect, test } from './fixtures.ts'

/** Large enough for a rate worth reading, small enough for CI on 2 cores. */
const FILE_BYTES = 16 * 1024 * 1024
/** The sentences the issue rules out for a failed direct connection. */
const WRONG_SENTENCES = /took too long|Nobody is sharing/

function isFailure (c: NatCase): c is FailureCase {
  return 'expectError' in c
}

/**
 * Two browsers in two (or one) home networks of the NAT lab, each a real
 * Chromium driven through the app's UI: share, download, save, SHA-256 — and
 * the path the data took, read by the app from WebRTC's selected candidate pair.
 */
for (const natCase of NAT_CASES) {
  test(natCase.name, async ({ lab, pageIn, scratch }) => {
    const relay = { turn: lab.relay, 'stun-only': lab.stunOnlyRelay, tls: lab.tlsRelay }[natCase.relay]
    const [sharer, downloader] = await Promise.all([pageIn(natCase.sharer), pageIn(natCase.downloader)])
    await installMarks(downloader.page)
    await Promise.all([sharer.open(relay.url), downloader.open(relay.url)])
    const file = makeFile(scratch, 'lab file.bin', FILE_BYTES)
    const cid = await sharer.share(file)
    if (natCase.relay === 'tls') {
      // the public-network set-up: the relay is announced by name, and no private address is allowed
      const info = await downloader.page.evaluate(async () => await (await fetch('/bootstrap.json')).json() as { multiaddrs: string[], allowPrivateAddresses: boolean })
      expect(info.allowPrivateAddresses).toBe(false)
      expect(info.multiaddrs[0]).toMatch(/^\/dns4\/relay\.chiral\.test\/tcp\/\d+\/tls\/ws\/p2p\//)
    }

    const started = Date.now()
    await downloader.startDownload(cid)

    if (isFailure(natCase)) {
      const state = downloader.page.getByTestId('transfer-state')
      await expect(state).toHaveText(/failed\s*$/, { timeout: natCase.expectError.withinMs })
      const elapsed = Date.now() - started
      expect(elapsed).toBeLessThan(natCase.expectError.withinMs)
      const error = downloader.page.getByTestId('error')
      expect(await error.getAttribute('data-error')).toBe(natCase.expectError.name)
      const sentence = await error.textContent() ?? ''
      expect(sentence).toMatch(/no direct connection could be made/)
      expect(sentence).not.toMatch(WRONG_SENTENCES)
      console.log(`[nat] ${natCase.name}: ${natCase.expectError.name} after ${elapsed} ms`)
      return
    }

    await downloader.downloadComplete()
    expect((await downloader.save()).sha256).toBe(file.sha256)
    const path = downloader.page.getByTestId('transfer-path')
    await expect(path).toContainText(natCase.expect.route === 'turn' ? 'TURN' : 'direct')
    const [local, remote] = ((await path.getAttribute('data-candidates')) ?? '').split('/')
    expect(await path.getAttribute('data-route')).toBe(natCase.expect.route)
    if (natCase.expect.local != null) expect(natCase.expect.local).toContain(local)
    if (natCase.expect.remote != null) expect(natCase.expect.remote).toContain(remote)
    if (natCase.expect.relayProtocol != null) expect(await path.getAttribute('data-relay-protocol')).toBe(natCase.expect.relayProtocol)
    // a direct case must not have fallen back to TURN, and a TURN case really used it
    expect([local, remote].includes('relay')).toBe(natCase.expect.route === 'turn')

    const marks = await readMarks(downloader.page)
    const firstBlockMs = Math.round(marks.firstBytes! - marks.downloadPressed!)
    const mbps = FILE_BYTES / 1e6 / ((marks.complete! - marks.firstBytes!) / 1000)
    console.log(`[nat] ${natCase.name}: ${local}/${remote} ${await path.textContent()}, first block ${firstBlockMs} ms, ${mbps.toFixed(1)} MB/s`)
  })
}

test.setTimeout(TRANSFER_TIMEOUT_MS)

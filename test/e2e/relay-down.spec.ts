import { ChiralPage } from './chiral-page.ts'
import { expect, test } from './fixtures.ts'
import { startRelay } from './relay-process.ts'

test('relay down: a download says so; a page opened meanwhile recovers by itself once the relay is back', async ({ browser, relay }) => {
  const page = new ChiralPage(await (await browser.newContext()).newPage())
  await page.open(relay.url)
  // the service worker holds the app shell, so the page still opens while the relay is down
  await page.page.waitForFunction(async () => (await navigator.serviceWorker.ready).active != null && navigator.serviceWorker.controller != null)
  const port = Number(new URL(relay.url).port)
  await relay.stop()

  await page.startDownload('bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy')
  await expect(page.page.getByTestId('error')).toHaveAttribute('data-error', 'RelayUnreachableError', { timeout: 30_000 })

  await page.page.reload()
  await expect(page.page.getByTestId('peer-status')).toContainText('Relay unreachable', { timeout: 15_000 })
  await expect(page.page.getByTestId('retry-button')).toHaveCount(1) // one Retry, only while it is down

  const back = await startRelay({ port })
  try {
    await page.ready() // no reload, no click: the page's own retries find the relay
    await expect(page.page.getByTestId('retry-button')).toHaveCount(0)
  } finally {
    await back.stop()
  }
})

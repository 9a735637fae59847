import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, type Locator, type Page } from '@playwright/test'

/** Page load to a held relay reservation. */
export const READY_TIMEOUT_MS = 30_000
/** Generous bound for moving tens of MB between two headless browsers on 2 cores. */
export const TRANSFER_TIMEOUT_MS = 120_000

export interface TestFile {
  path: string
  name: string
  size: number
  sha256: string
}

export function makeFile (dir: string, name: string, size: number): TestFile {
  const bytes = randomBytes(size)
  const path = join(dir, name)
  writeFileSync(path, bytes)
  return { path, name, size, sha256: createHash('sha256').update(bytes).digest('hex') }
}

export async function sha256File (path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** Drives the app through its public test hooks (data-testid), like a person would. */
export class ChiralPage {
  readonly page: Page

  constructor (page: Page) {
    this.page = page
    // CHIRAL_E2E_DEBUG=chiral:* shows the pages' libp2p/Chiral logs in the test output
    const debug = process.env.CHIRAL_E2E_DEBUG
    if (debug != null && debug !== '') {
      void page.addInitScript(value => { localStorage.setItem('debug', value) }, debug)
      page.on('console', message => { console.log(`[${page.url()}] ${message.text()}`) })
    }
  }

  async open (url: string): Promise<void> {
    await this.page.goto(url)
    await this.ready()
  }

  async ready (): Promise<void> {
    await expect(this.page.getByTestId('peer-status')).toContainText('ready', { timeout: READY_TIMEOUT_MS })
  }

  async peerId (): Promise<string> {
    return this.page.evaluate(() => globalThis.chiral!.peer.peerId)
  }

  /** Drop a file in; returns the share CID shown. */
  async share (file: TestFile): Promise<string> {
    await this.page.getByTestId('file-input').setInputFiles(file.path)
    const cid = this.page.getByTestId('share-cid')
    await expect(cid).toHaveText(/^baf[a-z2-7]+$/, { timeout: TRANSFER_TIMEOUT_MS })
    return (await cid.textContent())!.trim()
  }

  async startDownload (cidOrLink: string): Promise<void> {
    await this.page.getByTestId('cid-input').fill(cidOrLink)
    await this.page.getByTestId('download-button').click()
  }

  /** One download's row: with several downloads in a tab, each has its own state, buttons and Save. */
  row (cid: string): Locator {
    return this.page.locator(`[data-testid=transfer][data-cid="${cid}"]`)
  }

  /** The whole page (one download), or one download's row. */
  private scope (cid?: string): Page | Locator {
    return cid == null ? this.page : this.row(cid)
  }

  /** Wait for the download (of `cid`, when the tab has several) to end; a failure fails the test with the sentence the user saw. */
  async downloadComplete (cid?: string): Promise<void> {
    const state = this.scope(cid).getByTestId('transfer-state')
    await expect(state).toHaveText(/(complete|failed|cancelled)\s*$/, { timeout: TRANSFER_TIMEOUT_MS })
    if (!/complete\s*$/.test(await state.textContent() ?? '')) {
      const error = await this.page.getByTestId('error').textContent({ timeout: 1_000 }).catch(() => null) ??
        await this.scope(cid).getByTestId('transfer-error').textContent({ timeout: 1_000 }).catch(() => null)
      throw new Error(`download ended as "${await state.textContent()}": ${error ?? '(no error shown)'}`)
    }
  }

  async pause (cid?: string): Promise<void> {
    await this.scope(cid).getByTestId('pause-button').click()
  }

  async resume (cid?: string): Promise<void> {
    await this.scope(cid).getByTestId('resume-button').click()
  }

  /** Press Save (in `cid`'s row, when the tab has several downloads) and return the SHA-256 and name of the file the browser wrote. */
  async save (index = 0, cid?: string): Promise<{ sha256: string, name: string }> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download', { timeout: TRANSFER_TIMEOUT_MS }),
      this.scope(cid).getByTestId('save-file').nth(index).click() // the button itself (save-button wraps it): a click waits until it is enabled
    ])
    const path = await download.path()
    return { sha256: await sha256File(path), name: download.suggestedFilename() }
  }

  /** Connections to a peer as the libp2p connection manager sees them. */
  async connectionsTo (peerId: string): Promise<Array<{ direct: boolean, limited: boolean, status: string }>> {
    return this.page.evaluate(id => globalThis.chiral!.peer.connections()
      .filter(c => c.remotePeer.toString() === id)
      .map(c => ({ direct: c.direct, limited: c.limits != null, status: c.status })), peerId)
  }

  /** Count blocks this page serves from now on. */
  async countServedBlocks (): Promise<void> {
    await this.page.evaluate(() => {
      const counter = { served: 0 }
      ;(globalThis as unknown as { served: typeof counter }).served = counter
      globalThis.chiral!.peer.addEventListener('block:served', () => { counter.served++ })
    })
  }

  async servedBlocks (): Promise<number> {
    return this.page.evaluate(() => (globalThis as unknown as { served: { served: number } }).served.served)
  }
}

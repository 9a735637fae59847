import { spawn } from 'node:child_process'
import { join } from 'node:path'
import type { Page } from '@playwright/test'

/** Wait until the service worker is active and controls the page. */
export async function controlled (page: Page): Promise<void> {
  await page.waitForFunction(async () => (await navigator.serviceWorker.ready).active != null && navigator.serviceWorker.controller != null)
}

/** The build the page was loaded from (its meta tag) and the one its controlling worker belongs to. */
export async function buildIds (page: Page): Promise<{ page: string | undefined, worker: string }> {
  return page.evaluate(async () => {
    const controller = navigator.serviceWorker.controller
    if (controller == null) throw new Error('the page is not controlled')
    const channel = new MessageChannel()
    const answer = new Promise<string>(resolve => { channel.port1.onmessage = (e) => { resolve((e.data as { version: string }).version) } })
    controller.postMessage({ type: 'version' }, [channel.port2])
    return { page: document.querySelector<HTMLMetaElement>('meta[name="chiral-build"]')?.content, worker: await answer }
  })
}

/** Build the app into `outDir` as a deployment stamped `buildId` would (a real `vite build`). */
export async function buildApp (outDir: string, buildId: string): Promise<void> {
  const vite = join(process.cwd(), 'node_modules', '.bin', 'vite')
  const child = spawn(process.execPath, [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    env: { ...process.env, CHIRAL_BUILD_ID: buildId },
    stdio: ['ignore', 'inherit', 'inherit']
  })
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', resolve)
  })
  if (code !== 0) throw new Error(`vite build exited with ${code}`)
}

/**
 * What Android's or a desktop's "Share to Chiral" does: a POST navigation of
 * multipart/form-data to the manifest's share_target action, with files
 * (from disk, through a real file input) and title/text/url. Resolves once
 * the worker's 303 has brought the page to `/?share-target=…`.
 */
export async function shareToChiral (page: Page, share: { files?: string[], title?: string, text?: string, url?: string }): Promise<void> {
  const manifest = await page.evaluate(async () => (await (await fetch('/manifest.webmanifest')).json()) as {
    share_target: { action: string, method: string, enctype: string, params: { title: string, text: string, url: string, files: Array<{ name: string }> } }
  })
  const target = manifest.share_target
  await page.evaluate(({ target, share }) => {
    const form = document.createElement('form')
    form.id = 'e2e-share-target'
    form.action = target.action
    form.method = target.method
    form.enctype = target.enctype
    form.hidden = true
    const input = document.createElement('input')
    input.type = 'file'
    input.multiple = true
    input.name = target.params.files[0]!.name
    form.append(input)
    for (const key of ['title', 'text', 'url'] as const) {
      const value = share[key]
      if (value == null) continue
      const field = document.createElement('input')
      field.name = target.params[key]
      field.value = value
      form.append(field)
    }
    document.body.append(form)
  }, { target, share: { title: share.title, text: share.text, url: share.url } })
  if (share.files != null) await page.locator('#e2e-share-target input[type=file]').setInputFiles(share.files)
  await Promise.all([
    page.waitForURL(url => url.searchParams.has('share-target') || url.searchParams.has('share-target-error')),
    page.evaluate(() => { document.querySelector<HTMLFormElement>('#e2e-share-target')!.submit() })
  ])
}

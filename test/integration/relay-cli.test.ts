import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importShare } from '../../app/core/content/import-share.ts'

/** Each case spawns Node, some several times. */
const PROCESS_TEST_TIMEOUT_MS = 30_000

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const BIN = join(ROOT, 'bin', 'chiral.js')

async function chiral (...args: string[]): Promise<{ code: number | null, stdout: string, stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', chunk => { stdout += chunk })
  child.stderr.setEncoding('utf8').on('data', chunk => { stderr += chunk })
  const code = await new Promise<number | null>(resolve => child.once('exit', resolve))
  return { code, stdout, stderr }
}

describe('chiral CLI', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  let dir: string
  const small = new TextEncoder().encode('hello chiral\n')
  // several chunks, so the streamed and the Blob import must agree on chunking
  const large = new Uint8Array(700_000).map((_, i) => (i * 31) & 0xff)

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chiral-cli-'))
    await writeFile(join(dir, 'hello.txt'), small)
    await writeFile(join(dir, 'data.bin'), large)
  })

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('prints exactly the share CID the app computes for the same files', async () => {
    const expected = await importShare([
      { name: 'hello.txt', content: new Blob([small]) },
      { name: 'data.bin', content: new Blob([large]) }
    ], { put: async () => {} })
    const result = await chiral('cid', join(dir, 'hello.txt'), join(dir, 'data.bin'))
    expect(result).toMatchObject({ code: 0, stdout: `${expected.cid}\n` })
    expect(expected.cid).toMatch(/^bafy/)
  })

  it('exits 2 naming a missing file', async () => {
    const result = await chiral('cid', join(dir, 'nope.txt'))
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('nope.txt')
  })

  it('exits 2 for cid without files, a directory, or an unknown command', async () => {
    expect((await chiral('cid')).code).toBe(2)
    expect((await chiral('cid', dir)).code).toBe(2)
    expect((await chiral('frobnicate')).code).toBe(2)
  })

  it('prints help', async () => {
    const result = await chiral('--help')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/cid <file>/)
    expect(result.stdout).toMatch(/doctor <url>/)
    const relayHelp = await chiral('relay', '--help')
    expect(relayHelp.code).toBe(0)
    expect(relayHelp.stdout).toMatch(/the one public port/)
    expect(relayHelp.stdout).toMatch(/--tls-cert/)
  })
})

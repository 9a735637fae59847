import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { killRelayProcesses, RUNNING_LINE, startRelayProcess as startRelay } from '../helpers/relay-process.ts'

/** Each case starts Node (and libp2p) up to twice; slow on a loaded 2-core machine. */
const PROCESS_TEST_TIMEOUT_MS = 30_000

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const START = join(ROOT, 'relay', 'start.ts')

describe('relay process (npm start)', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  let dataDir: string

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'chiral-relay-'))
  })

  afterAll(async () => {
    // a failed assertion must not leave a relay running
    killRelayProcesses()
    await rm(dataDir, { recursive: true, force: true })
  })

  const args = (): string[] => ['--port', '0', '--no-build', '--data-dir', dataDir]

  it('serves /bootstrap.json, keeps its peer id across restarts and exits 0 on SIGTERM', async () => {
    const first = await startRelay(args())
    const res = await fetch(`${first.url}/bootstrap.json`)
    expect(res.status).toBe(200)
    const bootstrap = await res.json() as { peerId: string, multiaddrs: string[], allowPrivateAddresses: boolean }
    expect(bootstrap.peerId).toMatch(/^12D3Koo/)
    expect(bootstrap.allowPrivateAddresses).toBe(true)
    expect(bootstrap.multiaddrs.length).toBeGreaterThan(0)
    // one port: libp2p's WebSocket is on the port that served this JSON
    const port = new URL(first.url).port
    for (const ma of bootstrap.multiaddrs) expect(ma).toBe(`/ip4/127.0.0.1/tcp/${port}/ws/p2p/${bootstrap.peerId}`)
    expect(first.lines).toContain(`Relay peer id: ${bootstrap.peerId}`)

    first.child.kill('SIGTERM')
    expect(await first.exited).toEqual({ code: 0, signal: null })
    expect(first.lines.filter(l => RUNNING_LINE.test(l))).toHaveLength(1)

    const second = await startRelay(args())
    const again = await (await fetch(`${second.url}/bootstrap.json`)).json() as { peerId: string }
    expect(again.peerId).toBe(bootstrap.peerId)
    second.child.kill('SIGINT')
    expect(await second.exited).toEqual({ code: 0, signal: null })
  })

  it('exits 2 with a clear message on a bad flag', async () => {
    const child = spawn(process.execPath, [START, '--port', 'eighty'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', chunk => { stderr += chunk })
    const code = await new Promise(resolve => child.once('exit', resolve))
    expect(code).toBe(2)
    expect(stderr).toMatch(/--port must be a port number/)
  })
})

import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

const READY_LINE = /^Chiral is running at (http:\/\/\S+)$/
const RELAY_START_TIMEOUT_MS = 30_000

export interface RelayProcess {
  url: string
  stop(): Promise<void>
}

/**
 * Start the real relay (`relay/start.ts --no-build`) on a free port (or `port`, to come back where it was)
 * and wait for its ready line. With `root`, it serves `<root>/dist` instead of this checkout's build.
 */
export async function startRelay (options: { port?: number, root?: string } = {}): Promise<RelayProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'chiral-relay-'))
  const entry = options.root == null ? ['relay/start.ts'] : ['test/e2e/serve-build.ts', options.root]
  const child = spawn(process.execPath, [...entry, '--no-build', '--port', String(options.port ?? 0), '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr?.on('data', chunk => { stderr += String(chunk) })
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`relay did not start within ${RELAY_START_TIMEOUT_MS} ms: ${stderr}`)) }, RELAY_START_TIMEOUT_MS)
    createInterface({ input: child.stdout! }).on('line', line => {
      const match = READY_LINE.exec(line)
      if (match?.[1] != null) { clearTimeout(timer); resolve(match[1]) }
    })
    child.once('exit', code => { clearTimeout(timer); reject(new Error(`relay exited with ${code}: ${stderr}`)) })
  })
  return {
    url,
    stop: async () => {
      await stopChild(child)
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}

async function stopChild (child: ChildProcess): Promise<void> {
  if (child.exitCode != null || child.signalCode != null) return
  const exited = new Promise(resolve => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
}

import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const START = join(ROOT, 'relay', 'start.ts')
export const RUNNING_LINE = /^Chiral is running at (https?:\/\/\S+)$/

export interface RelayProcess {
  child: ChildProcess
  /** The printed URL (http://… or https://…). */
  url: string
  /** Every stdout line so far (the array keeps growing until the process exits). */
  lines: string[]
  /** Everything written to stderr so far. */
  stderr: () => string
  exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }>
  /** SIGTERM, then wait for the exit. */
  stop: () => Promise<{ code: number | null, signal: NodeJS.Signals | null }>
}

const children = new Set<ChildProcess>()

/** Spawn `node relay/start.ts <args>` (on the Node that runs the tests) and wait for its "running" line. */
export async function startRelayProcess (args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<RelayProcess> {
  const child = spawn(process.execPath, [START, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env })
  children.add(child)
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', chunk => { stderr += chunk })
  const exited = new Promise<{ code: number | null, signal: NodeJS.Signals | null }>(resolve => {
    child.once('exit', (code, signal) => {
      children.delete(child)
      resolve({ code, signal })
    })
  })
  const lines: string[] = []
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', line => {
      lines.push(line)
      const match = RUNNING_LINE.exec(line)
      if (match?.[1] != null) resolve(match[1])
    })
    void exited.then(({ code }) => { reject(new Error(`relay exited with ${code} before it was running:\n${stderr}`)) })
  })
  return {
    child,
    url,
    lines,
    stderr: () => stderr,
    exited,
    stop: async () => {
      if (child.exitCode == null && child.signalCode == null) child.kill('SIGTERM')
      return await exited
    }
  }
}

/** For afterAll: a failed assertion must not leave a relay running. */
export function killRelayProcesses (): void {
  for (const child of children) if (child.exitCode == null && child.signalCode == null) child.kill('SIGKILL')
}

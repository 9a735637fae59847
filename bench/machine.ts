import { execFileSync } from 'node:child_process'
import { cpus, totalmem, release } from 'node:os'
import { chromium } from '@playwright/test'
import { chromiumExecutable } from '../test/e2e/browser.ts'

export interface Machine {
  cores: number
  cpuModel: string
  memoryGB: number
  os: string
  chromium: string
  node: string
}

export function describeMachine (): Machine {
  const executable = chromiumExecutable() ?? chromium.executablePath()
  let version = 'unknown'
  try { version = execFileSync(executable, ['--version'], { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim() } catch {}
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGB: Math.round(totalmem() / 2 ** 30 * 10) / 10,
    os: `${process.platform} ${release()}`,
    chromium: `${version} (${executable})`,
    node: process.version
  }
}

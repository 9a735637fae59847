#!/usr/bin/env node
// The `chiral` command. Plain JS so that any Node can start it: the real code is
// TypeScript (relay/cli.ts), run by Node's type stripping, and libp2p 3 needs
// Node 22+. An older Node re-runs this file under the project's own Node (the
// npm package `node`, a dependency).
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

if (process.features.typescript) {
  const { main } = await import('../relay/cli.ts')
  await main(process.argv.slice(2))
} else {
  reexecWithProjectNode()
}

function reexecWithProjectNode () {
  let nodeBin
  try {
    nodeBin = join(dirname(createRequire(import.meta.url).resolve('node/package.json')), 'bin', 'node')
  } catch {
    process.stderr.write(`chiral: Node ${process.versions.node} cannot run Chiral (it needs Node 22.18 or newer) and the project's own Node is not installed. Run "npm install" first.\n`)
    process.exit(1)
  }
  const child = spawn(nodeBin, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' })
  // the child gets terminal signals itself; forward the ones sent only to us
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('error', err => {
    process.stderr.write(`chiral: cannot start ${nodeBin}: ${err.message}\n`)
    process.exit(1)
  })
  child.on('exit', (code, signal) => { process.exit(code ?? (signal != null ? 1 : 0)) })
}

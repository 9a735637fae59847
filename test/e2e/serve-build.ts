/**
 * The real relay over another site root than this checkout, for tests that
 * "deploy" a new build under a running relay:
 * `node test/e2e/serve-build.ts <root> [relay flags]` serves <root>/dist.
 */
import { relayCommand } from '../../relay/relay-command.ts'

const [root, ...argv] = process.argv.slice(2)
if (root == null) throw new Error('usage: serve-build.ts <root> [relay flags]')
await relayCommand(argv, { root })

/** `npm start [-- flags]`: build the app if needed, then run the relay. See relay/options.ts for the flags. */
import { fileURLToPath } from 'node:url'
import { exitCodeOf } from './errors.ts'
import { relayCommand } from './relay-command.ts'

const root = fileURLToPath(new URL('..', import.meta.url))

try {
  await relayCommand(process.argv.slice(2), { root })
} catch (err) {
  process.stderr.write(`chiral: ${(err as Error).message}\n`)
  process.exit(exitCodeOf(err))
}

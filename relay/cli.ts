/** The `chiral` command (bin/chiral.js): `chiral cid <file>...`, `chiral relay [flags]`, `chiral doctor <url>`. */
import { fileURLToPath } from 'node:url'
import { exitCodeOf, UsageError } from './errors.ts'

export const CLI_HELP = `Usage: chiral <command> [arguments]

Commands:
  cid <file>...      print the share CID the Chiral app shows for these files
                     (same as: ipfs add --cid-version=1 --wrap-with-directory)
  relay [flags]      run the relay and serve the app (like npm start);
                     see: chiral relay --help
  doctor <url>       check a deployed relay end to end from this machine:
                     TLS, /bootstrap.json, libp2p, reservation, STUN, TURN;
                     says what to fix. See: chiral doctor --help
  help               show this help
`

const root = fileURLToPath(new URL('..', import.meta.url))

/** Run one CLI invocation. Resolves with the exit code for commands that finish; the relay keeps running. */
export async function runCli (argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv
  switch (command) {
    case undefined:
      process.stderr.write(CLI_HELP)
      return 2
    case 'help':
    case '-h':
    case '--help':
      process.stdout.write(CLI_HELP)
      return 0
    case 'cid':
      return await cidCommand(rest)
    case 'relay': {
      // loaded on demand: libp2p takes a while to import and `cid` does not need it
      const { relayCommand } = await import('./relay-command.ts')
      await relayCommand(rest, { root })
      return 0
    }
    case 'doctor': {
      const { doctorCommand } = await import('./doctor/doctor-command.ts')
      return await doctorCommand(rest)
    }
    default:
      throw new UsageError(`Unknown command "${command}". Run "chiral --help".`)
  }
}

async function cidCommand (args: readonly string[]): Promise<number> {
  if (args[0] !== '--' && (args.includes('-h') || args.includes('--help'))) {
    process.stdout.write('Usage: chiral cid <file>...\nPrints the share CID (CIDv1, wrapping directory) of the files, read as streams.\n')
    return 0
  }
  const files = args[0] === '--' ? args.slice(1) : args
  if (files.length === 0) throw new UsageError('chiral cid needs at least one file, e.g. chiral cid photo.jpg')
  const { shareCidOfFiles } = await import('./share-cid.ts')
  const result = await shareCidOfFiles(files)
  process.stdout.write(result.cid + '\n')
  return 0
}

/** Entry used by bin/chiral.js: errors become one line on stderr and an exit code. */
export async function main (argv: readonly string[]): Promise<void> {
  try {
    const code = await runCli(argv)
    if (code !== 0) process.exitCode = code
  } catch (err) {
    process.stderr.write(`chiral: ${(err as Error).message}\n`)
    process.exit(exitCodeOf(err))
  }
}

import { UsageError } from '../errors.ts'
import { runDoctor } from './doctor.ts'
import { formatResult, formatSummary } from './report.ts'

export const DOCTOR_HELP = `Usage: chiral doctor <relay-url>    (npm run doctor -- <relay-url>)

Checks a deployed relay end to end, the way a browser uses it. Run it from a
machine outside the relay's network to see what browsers out there see.

  TLS          https: the certificate browsers will check (or http://localhost)
  bootstrap    GET <relay-url>/bootstrap.json: reachable and valid; prints the
               relay's peer id, addresses and ICE servers
  libp2p       dials every announced address (WebSocket, noise, yamux) and
               checks that the relay's peer id answers
  reservation  takes a circuit-relay reservation, as a browser tab does
  STUN         a Binding request to each STUN URL; prints this machine's
               public address
  TURN         an allocation on each TURN URL (UDP, TCP or TLS) with the
               credentials the relay minted, a packet through the relayed
               port, then the allocation is freed

Prints one line per check, ✓ or ✗, and for each failure what to fix; then
which networks browsers can connect from (home NATs, strict NATs,
UDP-blocked and TLS-only networks).

Exit code: 0 when every check passes, 1 when one fails, 2 on a usage error.

Arguments:
  <relay-url>   the URL the relay printed ("Chiral is running at <url>"), e.g.
                https://chiral.example.com (https:// is assumed without a scheme)
  -h, --help    show this help

A certificate from a private CA: NODE_EXTRA_CA_CERTS=ca.pem chiral doctor <url>
`

/** The relay's page from the argument: an origin, http(s) only. Throws UsageError. */
export function parseDoctorArgs (argv: readonly string[]): { help: true } | { help: false, page: URL } {
  if (argv.includes('-h') || argv.includes('--help')) return { help: true }
  const unknown = argv.find(a => a.startsWith('-'))
  if (unknown != null) throw new UsageError(`Unknown argument "${unknown}". Run "chiral doctor --help".`)
  if (argv.length !== 1) throw new UsageError('chiral doctor needs one relay URL, e.g. chiral doctor https://chiral.example.com')
  const text = argv[0]!.trim()
  let page: URL
  try {
    page = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`)
  } catch {
    throw new UsageError(`"${text}" is not a URL; give the relay's address, e.g. https://chiral.example.com`)
  }
  if (page.protocol !== 'https:' && page.protocol !== 'http:') {
    throw new UsageError(`chiral doctor needs the relay's http(s) URL (the one it printed), got "${text}"`)
  }
  // /bootstrap.json sits at the origin, whatever path was pasted
  return { help: false, page: new URL(page.origin) }
}

/** `chiral doctor <url>`: run every check, print as results come, return the exit code. */
export async function doctorCommand (argv: readonly string[], options: { print?: (line: string) => void, signal?: AbortSignal } = {}): Promise<number> {
  const print = options.print ?? ((line: string) => { process.stdout.write(line + '\n') })
  const args = parseDoctorArgs(argv)
  if (args.help) {
    process.stdout.write(DOCTOR_HELP)
    return 0
  }
  print(`Checking ${args.page.origin} from this machine…`)
  print('')
  const report = await runDoctor({
    page: args.page,
    signal: options.signal,
    onResult: result => { for (const line of formatResult(result)) print(line) }
  })
  for (const line of formatSummary(report.results, report.turnHost)) print(line)
  return report.results.some(r => r.status === 'fail') ? 1 : 0
}

import { execFileSync } from 'node:child_process'
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A small internet on this machine, from network namespaces: an "internet"
 * namespace with a bridge on 192.0.2.0/24 (TEST-NET-1), where the relay and
 * the STUN/TURN server live, and home networks, each a router namespace that
 * NATs a LAN (10.<n>.0.0/24) onto the bridge with nftables, with host
 * namespaces behind it. Nothing has a route out of the lab (the internet's
 * default route ends in a veth pair of its own), IPv6 is off inside it, and the host's own interfaces and rules are never touched:
 * every link is created inside a lab namespace.
 */

/** Every namespace of the lab starts with this, so a crashed run's leftovers can be found and removed. */
export const LAB_PREFIX = 'chn-'
export const INTERNET_NS = `${LAB_PREFIX}inet`
/** The internet side's own address: relay and STUN/TURN listen here. */
export const SERVER_IP = '192.0.2.10'
const INTERNET_SUBNET_BITS = 24

/**
 * How a home router maps and filters:
 * - `eim`: endpoint-independent mapping (Linux masquerade keeps one mapping per
 *   source port), filter lets only replies in: a typical home router, STUN works;
 * - `symmetric`: a new random port per destination (`masquerade random`): mobile
 *   networks, many offices; only TURN works;
 * - `eim-udp-blocked`: as `eim` but every UDP packet to the internet is dropped,
 *   as strict office firewalls do: only TURN over TCP works.
 */
export type NatKind = 'eim' | 'symmetric' | 'eim-udp-blocked'

export interface HomeSpec {
  /** One letter: names the namespaces (chn-rA, chn-hA1). */
  name: string
  nat: NatKind
  hosts: number
}

export interface Home extends HomeSpec {
  routerNs: string
  wanIp: string
  /** Host namespaces and their LAN addresses. */
  hostNs: string[]
  hostIps: string[]
}

function run (command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

function ip (ns: string, ...args: string[]): void {
  run('ip', ['-n', ns, ...args])
}

function inNs (ns: string, command: string, ...args: string[]): string {
  return run('ip', ['netns', 'exec', ns, command, ...args])
}

function addNamespace (ns: string): void {
  run('ip', ['netns', 'add', ns])
  ip(ns, 'link', 'set', 'lo', 'up')
  for (const key of ['all', 'default']) inNs(ns, 'sysctl', '-qw', `net.ipv6.conf.${key}.disable_ipv6=1`)
}

/**
 * The nftables ruleset of a home router: NAT out of `wan`, only replies back
 * in, to the LAN and to the router itself. The input chain matters for hole
 * punching: a peer's first packet often arrives before ours has left; if the
 * router accepted it (even just to answer "port unreachable"), conntrack would
 * record that flow, and our own packet to the same peer would then be mapped to
 * another port, turning a friendly NAT symmetric.
 */
export function routerRuleset (nat: NatKind): string {
  const masquerade = nat === 'symmetric' ? 'masquerade random' : 'masquerade'
  const dropUdp = nat === 'eim-udp-blocked' ? '    iifname "lan" oifname "wan" meta l4proto udp drop\n' : ''
  return `table ip chiral_lab {
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "wan" ${masquerade}
  }
  chain forward {
    type filter hook forward priority filter; policy drop;
    ct state established,related accept
${dropUdp}    iifname "lan" oifname "wan" accept
  }
  chain input {
    type filter hook input priority filter; policy drop;
    ct state established,related accept
    iifname { "lo", "lan" } accept
  }
}
`
}

/**
 * One lab at a time on a machine: its names are fixed, so a second run would
 * tear down the first. The lock file names its owner; an owner that is gone
 * left a stale lab, which the next run removes.
 */
const LOCK_FILE = join(tmpdir(), 'chiral-nat-lab.lock')

function acquireLock (): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(LOCK_FILE, 'wx')
      writeSync(fd, String(process.pid))
      closeSync(fd)
      return
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const owner = Number(readFileSync(LOCK_FILE, 'utf8'))
      if (owner !== process.pid && isAlive(owner)) {
        throw new Error(`Another NAT lab run (pid ${owner}) is using the lab namespaces; wait for it to end (or stop it), then run again.`)
      }
      rmSync(LOCK_FILE, { force: true }) // its owner is gone: a crashed run
    }
  }
}

function releaseLock (): void {
  try {
    if (Number(readFileSync(LOCK_FILE, 'utf8')) === process.pid) rmSync(LOCK_FILE, { force: true })
  } catch {}
}

function isAlive (pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export class Lab {
  readonly homes: Home[] = []

  /** Remove whatever a previous, crashed run left behind (its processes first). Only with the lock held. */
  private static cleanStale (): void {
    for (const ns of listLabNamespaces()) deleteNamespace(ns)
  }

  /** Build the internet and the homes. Throws (after cleaning up) when a step fails, or when another run holds the lab. */
  static create (specs: HomeSpec[]): Lab {
    acquireLock()
    Lab.cleanStale()
    const lab = new Lab()
    try {
      addNamespace(INTERNET_NS)
      ip(INTERNET_NS, 'link', 'add', 'br0', 'type', 'bridge')
      ip(INTERNET_NS, 'addr', 'add', `${SERVER_IP}/${INTERNET_SUBNET_BITS}`, 'dev', 'br0')
      ip(INTERNET_NS, 'link', 'set', 'br0', 'up')
      // A server on the internet has a default route. Without one, a send to an
      // unroutable address (a browser's private host candidate) fails with
      // ENETUNREACH, and coturn then closes that TURN allocation's relay socket,
      // stalling a transfer. This route leads into a veth pair inside this
      // namespace and nowhere else: such packets are dropped, as upstream would.
      ip(INTERNET_NS, 'link', 'add', 'sink0', 'type', 'veth', 'peer', 'name', 'sink1')
      ip(INTERNET_NS, 'link', 'set', 'sink0', 'up')
      ip(INTERNET_NS, 'link', 'set', 'sink1', 'up')
      ip(INTERNET_NS, 'route', 'add', 'default', 'dev', 'sink0')
      specs.forEach((spec, i) => { lab.homes.push(addHome(spec, i)) })
    } catch (err) {
      lab.destroy()
      throw err
    }
    return lab
  }

  home (name: string): Home {
    const home = this.homes.find(h => h.name === name)
    if (home == null) throw new Error(`no home ${name} in the lab`)
    return home
  }

  /** Kill every process still inside a lab namespace, then delete the namespaces and release the lab. */
  destroy (): void {
    for (const ns of listLabNamespaces()) deleteNamespace(ns)
    releaseLock()
  }
}

function addHome (spec: HomeSpec, index: number): Home {
  const routerNs = `${LAB_PREFIX}r${spec.name}`
  const wanIp = `192.0.2.${101 + index}`
  const lanPrefix = `10.${index + 1}.0`
  addNamespace(routerNs)
  // the router's uplink: one veth end in the router, the other on the internet bridge
  ip(routerNs, 'link', 'add', 'wan', 'type', 'veth', 'peer', 'name', `up${spec.name}`, 'netns', INTERNET_NS)
  ip(INTERNET_NS, 'link', 'set', `up${spec.name}`, 'master', 'br0', 'up')
  ip(routerNs, 'addr', 'add', `${wanIp}/${INTERNET_SUBNET_BITS}`, 'dev', 'wan')
  ip(routerNs, 'link', 'set', 'wan', 'up')
  ip(routerNs, 'link', 'add', 'lan', 'type', 'bridge')
  ip(routerNs, 'addr', 'add', `${lanPrefix}.1/24`, 'dev', 'lan')
  ip(routerNs, 'link', 'set', 'lan', 'up')
  inNs(routerNs, 'sysctl', '-qw', 'net.ipv4.ip_forward=1')
  // with br_netfilter loaded, frames between two LAN hosts would cross the forward chain (policy drop)
  try { inNs(routerNs, 'sysctl', '-qw', 'net.bridge.bridge-nf-call-iptables=0') } catch {}
  execFileSync('ip', ['netns', 'exec', routerNs, 'nft', '-f', '-'], { input: routerRuleset(spec.nat), stdio: ['pipe', 'pipe', 'pipe'] })

  const hostNs: string[] = []
  const hostIps: string[] = []
  for (let h = 1; h <= spec.hosts; h++) {
    const ns = `${LAB_PREFIX}h${spec.name}${h}`
    const hostIp = `${lanPrefix}.${10 + h}`
    addNamespace(ns)
    ip(ns, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', `h${h}`, 'netns', routerNs)
    ip(routerNs, 'link', 'set', `h${h}`, 'master', 'lan', 'up')
    ip(ns, 'addr', 'add', `${hostIp}/24`, 'dev', 'eth0')
    ip(ns, 'link', 'set', 'eth0', 'up')
    ip(ns, 'route', 'add', 'default', 'via', `${lanPrefix}.1`)
    hostNs.push(ns)
    hostIps.push(hostIp)
  }
  return { ...spec, routerNs, wanIp, hostNs, hostIps }
}

function listLabNamespaces (): string[] {
  return run('ip', ['netns', 'list']).split('\n')
    .map(line => line.split(' ')[0] ?? '')
    .filter(ns => ns.startsWith(LAB_PREFIX))
}

function deleteNamespace (ns: string): void {
  let pids: string[] = []
  try {
    pids = run('ip', ['netns', 'pids', ns]).split('\n').filter(p => /^\d+$/.test(p))
  } catch {}
  for (const pid of pids) {
    try { process.kill(Number(pid), 'SIGKILL') } catch {}
  }
  try {
    run('ip', ['netns', 'delete', ns])
  } catch {}
}

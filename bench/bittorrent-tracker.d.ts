// The part of bittorrent-tracker 11 (no bundled types) that the bench's local tracker uses.
declare module 'bittorrent-tracker' {
  import type { EventEmitter } from 'node:events'
  import type { Server as HttpServer } from 'node:http'
  import type { AddressInfo } from 'node:net'

  export class Server extends EventEmitter {
    constructor (opts?: { udp?: boolean, http?: boolean, ws?: boolean, stats?: boolean, trustProxy?: boolean, interval?: number })
    http: HttpServer | null
    ws: { address(): AddressInfo } | null
    listen (port: number, hostname: string, onListening?: () => void): void
    close (cb?: (err?: Error | null) => void): void
  }
}

import type { Boot } from './boot.ts'
import { whenSettled } from './peer-status.ts'

/**
 * Resolves once start-up is over: the peer is past connecting (ready,
 * connected or offline; at most SETTLE_TIMEOUT_MS), or the first start failed.
 * main.tsx registers the service worker then: its first install downloads
 * every file of the app, which on a first visit slowed the relay reservation
 * by about 90 ms on this project's 2-core machine.
 */
export async function afterStartUp (boot: Pick<Boot, 'firstAttempt'>, signal = new AbortController().signal): Promise<void> {
  const peer = await boot.firstAttempt
  if (peer != null) await whenSettled(peer, signal)
}

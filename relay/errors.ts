/** Failures of the relay and the CLI. `name` is the contract; `exitCode` is what the process exits with. */

/** A flag, an environment variable or a CLI argument is wrong: the user must change the command line. */
export class UsageError extends Error {
  static override readonly name = 'UsageError'
  override readonly name = 'UsageError'
  readonly exitCode = 2
}

/** `vite build` failed or could not be started. */
export class BuildError extends Error {
  static override readonly name = 'BuildError'
  override readonly name = 'BuildError'
  readonly exitCode = 1
}

/** The stored relay identity exists but cannot be used. */
export class IdentityError extends Error {
  static override readonly name = 'IdentityError'
  override readonly name = 'IdentityError'
  readonly exitCode = 1
}

/** A file named on the command line cannot be read. */
export class InputFileError extends Error {
  static override readonly name = 'InputFileError'
  override readonly name = 'InputFileError'
  readonly exitCode = 2
}

/** The exit code for any error: its own when it carries one, 1 otherwise. */
export function exitCodeOf (err: unknown): number {
  const code = (err as { exitCode?: unknown } | null)?.exitCode
  return typeof code === 'number' ? code : 1
}

/** The relay cannot listen where it was told to: a port is taken or the host is not ours. */
export class RelayListenError extends Error {
  static override readonly name = 'RelayListenError'
  override readonly name = 'RelayListenError'
  readonly exitCode = 1
}

/** --tls-cert / --tls-key name files that cannot be read, are not PEM, or do not belong together. */
export class TlsConfigError extends Error {
  static override readonly name = 'TlsConfigError'
  override readonly name = 'TlsConfigError'
  readonly exitCode = 2
}

/** A peer tried to store a DHT provider record beyond one of the relay's bounds (relay/limits.ts). */
export class ProviderLimitError extends Error {
  static override readonly name = 'ProviderLimitError'
  override readonly name = 'ProviderLimitError'
}

/** A stream carried no data either way for its inactivity timeout, so the relay reset it. */
export class StreamIdleTimeoutError extends Error {
  static override readonly name = 'StreamIdleTimeoutError'
  override readonly name = 'StreamIdleTimeoutError'
}

/** A libp2p connection held no reservation and no streams for the idle timeout, so the relay closed it. */
export class IdleConnectionError extends Error {
  static override readonly name = 'IdleConnectionError'
  override readonly name = 'IdleConnectionError'
}

/** A WebSocket client broke the protocol (bad frame, text message, message over the size bound). */
export class WebSocketProtocolError extends Error {
  static override readonly name = 'WebSocketProtocolError'
  override readonly name = 'WebSocketProtocolError'
  /** ws's error code, e.g. WS_ERR_UNSUPPORTED_MESSAGE_LENGTH, when ws reported it. */
  readonly code?: string

  constructor (message: string, options: ErrorOptions & { code?: string } = {}) {
    super(message, options)
    this.code = options.code
  }
}

/** The relay's WebSocket transport only listens: the relay never dials anyone. */
export class RelayDialError extends Error {
  static override readonly name = 'RelayDialError'
  override readonly name = 'RelayDialError'
}

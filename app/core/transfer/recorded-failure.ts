import type { RecordedFailure } from '../storage/block-store.ts'

/** An error as a share record keeps it (structured-clone safe): its name, message and primitive own fields (turnConfigured, needed, limit...). */
export function recordFailure (err: Error): RecordedFailure {
  const details: Record<string, string | number | boolean> = {}
  for (const [key, value] of Object.entries(err)) {
    if (key !== 'name' && key !== 'message' && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) details[key] = value
  }
  return { name: err.name, message: err.message, ...(Object.keys(details).length > 0 ? { details } : {}) }
}

/** The error again, after a reload: same `name` and fields, so it reads as the same sentence. */
export function restoreFailure (failure: RecordedFailure): Error {
  const err = new Error(failure.message)
  Object.assign(err, failure.details ?? {})
  Object.defineProperty(err, 'name', { value: failure.name, enumerable: false, configurable: true, writable: true })
  return err
}

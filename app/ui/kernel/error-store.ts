import { createSignal, type Accessor } from 'solid-js'
import { errorText } from '../error-text.ts'

/** The one current error of the page: what the `error` element shows. */
export interface ErrorStore {
  error: Accessor<unknown>
  /** The sentence for the current error, '' when none. */
  text: Accessor<string>
  report(err: unknown): void
  clear(): void
}

export function createErrorStore (): ErrorStore {
  const [error, setError] = createSignal<unknown>(undefined, { equals: false })
  return {
    error,
    text: () => errorText(error()),
    report: (err) => {
      if (err != null) console.warn('chiral:', err)
      setError(() => err)
    },
    clear: () => setError(undefined)
  }
}

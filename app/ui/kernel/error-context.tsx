import type { JSX } from 'solid-js'
import { createStrictContext } from './strict-context.ts'
import type { ErrorStore } from './error-store.ts'

const [ErrorContext, useErrors] = createStrictContext<ErrorStore>('Errors')

export function ErrorsProvider (props: { store: ErrorStore, children: JSX.Element }): JSX.Element {
  return <ErrorContext.Provider value={props.store}>{props.children}</ErrorContext.Provider>
}

export { useErrors }

import { createContext, useContext, type Context } from 'solid-js'

/** A context whose `use` throws outside its provider instead of returning undefined. */
export function createStrictContext<T> (name: string): [Context<T | undefined>, () => T] {
  const context = createContext<T | undefined>(undefined)
  const use = (): T => {
    const value = useContext(context)
    if (value === undefined) throw new Error(`use${name}() must be called inside <${name}Provider>`)
    return value
  }
  return [context, use]
}

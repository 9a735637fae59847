import { createSignal, type Accessor } from 'solid-js'
import type { ErrorStore } from './error-store.ts'

/** A Save press: one at a time, a refusal shown as the page's error. */
export function createSaveAction (errors: Pick<ErrorStore, 'clear' | 'report'>, save: () => Promise<void>): { busy: Accessor<boolean>, run: () => Promise<void> } {
  const [busy, setBusy] = createSignal(false)
  const run = async (): Promise<void> => {
    if (busy()) return
    setBusy(true)
    errors.clear()
    try {
      await save()
    } catch (err) {
      errors.report(err)
    } finally {
      setBusy(false)
    }
  }
  return { busy, run }
}

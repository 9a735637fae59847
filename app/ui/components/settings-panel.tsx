import type { JSX } from 'solid-js'
import { UploadLimitField } from './upload-limit-field.tsx'

/** Settings of this browser, kept across visits. */
export function SettingsPanel (): JSX.Element {
  return (
    <section class="settings" aria-labelledby="settings-heading">
      <h2 id="settings-heading" class="small-heading">Settings</h2>
      <UploadLimitField />
    </section>
  )
}

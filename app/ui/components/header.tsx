import type { JSX } from 'solid-js'

export function Header (props: { status: JSX.Element }): JSX.Element {
  return (
    <header class="header">
      <div class="brand">
        <img class="brand-logo" src="/icon.svg" alt="" width="32" height="32" />
        <h1 class="brand-name">Chiral</h1>
      </div>
      {props.status}
    </header>
  )
}

import { createEffect, on, type JSX } from 'solid-js'
import type { Boot } from './kernel/boot.ts'
import type { ErrorStore } from './kernel/error-store.ts'
import { ErrorsProvider } from './kernel/error-context.tsx'
import { PeerGate, ShellProvider } from './kernel/shell-context.tsx'
import { BootStatusLine } from './components/boot-status-line.tsx'
import { DownloadPanel } from './components/download-panel.tsx'
import { ErrorBanner } from './components/error-banner.tsx'
import { Header } from './components/header.tsx'
import { LibraryPanel } from './components/library-panel.tsx'
import { NetworkCheckPanel } from './components/network-check.tsx'
import { PeerStatusLine } from './components/peer-status-line.tsx'
import { SettingsPanel } from './components/settings-panel.tsx'
import { SharePanel } from './components/share-panel.tsx'
import { StartupCard } from './components/startup-card.tsx'
import { UpdatePrompt } from './components/update-prompt.tsx'
import { ShareTargetPickup } from './kernel/share-target.ts'

export function App (props: { boot: Boot, errors: ErrorStore }): JSX.Element {
  // start-up failures (relay unreachable...) go to the one error element
  createEffect(on(props.boot.error, (err) => {
    if (err != null) props.errors.report(err)
    else props.errors.clear()
  }, { defer: true }))

  // the shell renders at once; what needs the peer appears when it runs (its code loads meanwhile)
  return (
    <ErrorsProvider store={props.errors}>
      <ShellProvider boot={props.boot}>
        <UpdatePrompt />
        <PeerGate><ShareTargetPickup /></PeerGate>
        <div class="page">
          <Header status={<PeerGate fallback={<BootStatusLine boot={props.boot} />}><PeerStatusLine /></PeerGate>} />
          <main class="main">
            <ErrorBanner />
            <div class="panels">
              <SharePanel />
              <DownloadPanel />
            </div>
            <PeerGate fallback={<StartupCard boot={props.boot} />}>
              <LibraryPanel />
              <NetworkCheckPanel />
              <SettingsPanel />
            </PeerGate>
          </main>
          <Footer />
        </div>
      </ShellProvider>
    </ErrorsProvider>
  )
}

function Footer (): JSX.Element {
  return (
    <footer class="footer">
      Files travel directly between browsers, encrypted, and are checked block by block. The relay introduces
      peers; where no direct path exists, its TURN server forwards the encrypted data.
    </footer>
  )
}

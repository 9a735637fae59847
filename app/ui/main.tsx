import { render } from 'solid-js/web'
import { App } from './app.tsx'
import { afterStartUp } from './kernel/after-start-up.ts'
import { answerBlockRequests } from './kernel/block-requests.ts'
import { createBoot } from './kernel/boot.ts'
import { createErrorStore } from './kernel/error-store.ts'
import { loadPeerCode } from './kernel/peer-code.ts'
import { registerServiceWorker } from './kernel/service-worker.ts'
import './styles.css'

// the peer's code (libp2p: most of the bundle) starts loading now and is parsed while the shell renders
void loadPeerCode().catch(() => {}) // a failure is reported by the boot, which asks again

const root = document.getElementById('root')
if (root == null) throw new Error('index.html has no #root element')

const boot = createBoot()
answerBlockRequests(boot.peer)
const errors = createErrorStore()
render(() => <App boot={boot} errors={errors} />, root)
void boot.start()
// the worker's first install fetches every file of the app: once start-up is over, not during it
void afterStartUp(boot).then(registerServiceWorker)

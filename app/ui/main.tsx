import { render } from 'solid-js/web'
import { App } from './app.tsx'
import { answerBlockRequests } from './kernel/block-requests.ts'
import { createBoot } from './kernel/boot.ts'
import { createErrorStore } from './kernel/error-store.ts'
import { registerServiceWorker } from './kernel/service-worker.ts'
import './styles.css'

const root = document.getElementById('root')
if (root == null) throw new Error('index.html has no #root element')

void registerServiceWorker()

const boot = createBoot()
answerBlockRequests(boot.peer)
const errors = createErrorStore()
render(() => <App boot={boot} errors={errors} />, root)
void boot.start()

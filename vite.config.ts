import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'
import solid from 'vite-plugin-solid'

const TARGET = 'es2022'

/**
 * What this build calls itself: `CHIRAL_BUILD_ID` when a deployment stamps one,
 * else the package version. The page carries it in `<meta name="chiral-build">`
 * and the service worker answers it to a `{ type: 'version' }` message, so
 * "which version is this tab running, and which worker controls it" has an answer.
 */
const BUILD_ID = process.env.CHIRAL_BUILD_ID ?? (JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string }).version

function buildIdMeta (): Plugin {
  return {
    name: 'chiral-build-id',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { name: 'chiral-build', content: BUILD_ID }, injectTo: 'head' }]
  }
}

/** In dev, `/sw.js` is app/sw/sw.ts through Vite's pipeline (vite-plugin-pwa fills in its precache list). */
function devServiceWorkerUrl (): Plugin {
  return {
    name: 'chiral-dev-sw-url',
    apply: 'serve',
    configureServer (server) {
      server.middlewares.use((req, _res, next) => {
        if (req.url === '/sw.js' || req.url?.startsWith('/sw.js?') === true) req.url = '/sw/sw.ts'
        next()
      })
    }
  }
}

export default defineConfig({
  root: fileURLToPath(new URL('./app/', import.meta.url)),
  publicDir: fileURLToPath(new URL('./public/', import.meta.url)),
  plugins: [
    solid(),
    buildIdMeta(),
    devServiceWorkerUrl(),
    /**
     * The service worker: app/sw/sw.ts, built as one self-contained ES module
     * at /sw.js (a stable URL, so the registration never changes). Workbox
     * (injectManifest) replaces `self.__WB_MANIFEST` in it with every shell
     * file of this build and its revision, so any change to the shell changes
     * sw.js byte for byte: browsers install the new worker, which then waits
     * for the page's "update" prompt. Our own routes (Save, share target) stay ours.
     */
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'sw',
      filename: 'sw.ts',
      scope: '/',
      // app/ui/kernel/service-worker.ts registers it (as a module), and public/ has our own web manifest
      injectRegister: false,
      manifest: false,
      injectManifest: {
        globPatterns: ['**/*.{html,js,css,webmanifest,svg,png}'],
        // the libp2p bundle is ~1 MB and growing: it must never silently drop out of the precache
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        target: TARGET,
        sourcemap: false
      },
      devOptions: { enabled: true, type: 'module', navigateFallback: 'index.html' }
    })
  ],
  define: { __CHIRAL_BUILD__: JSON.stringify(BUILD_ID) },
  build: {
    outDir: fileURLToPath(new URL('./dist/', import.meta.url)),
    emptyOutDir: true,
    target: TARGET,
    // the peer chunk (app/core with libp2p, loaded after the shell) is most of the bundle
    chunkSizeWarningLimit: 1024
  },
  worker: { format: 'es' },
  // `npx vite` beside a running relay (`npm start`): the page asks the relay where it is
  server: {
    proxy: { '/bootstrap.json': process.env.CHIRAL_RELAY_URL ?? 'http://localhost:8080' }
  }
})

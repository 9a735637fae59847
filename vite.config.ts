import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, defineConfig, type Plugin, type ResolvedConfig } from 'vite'
import solid from 'vite-plugin-solid'

const appRoot = fileURLToPath(new URL('./app/', import.meta.url))
const swEntry = path.join(appRoot, 'sw', 'sw.ts')
const TARGET = 'es2022'

/** Every file under `dir`, as URL paths relative to it (`icons/a.png`). */
async function listFilesUnder (dir: string, prefix = ''): Promise<string[]> {
  let entries
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch {
    return []
  }
  const out: string[] = []
  for (const entry of entries) {
    const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`
    if (entry.isDirectory()) out.push(...await listFilesUnder(path.join(dir, entry.name), rel))
    else if (entry.isFile()) out.push(rel)
  }
  return out
}

/**
 * The service worker: a separate, self-contained ES module emitted at `/sw.js`
 * (stable name, so the registration never changes), plus `asset-manifest.json`
 * listing every file of the app shell, which the worker precaches at install.
 *
 * The worker is built after the app by a nested build, with the shell's content
 * hash baked in (`__CHIRAL_SW_VERSION__`): any change to the shell changes
 * sw.js byte-for-byte, so browsers install the new worker and its new cache.
 *
 * In dev, `/sw.js` is served from `app/sw/sw.ts` through Vite's transform pipeline.
 */
function chiralServiceWorker (): Plugin {
  let config: ResolvedConfig | undefined
  let version: string | undefined
  return {
    name: 'chiral-service-worker',
    configResolved (resolved) {
      config = resolved
    },
    configureServer (server) {
      server.middlewares.use((req, _res, next) => {
        if (req.url === '/sw.js' || req.url?.startsWith('/sw.js?') === true) req.url = '/sw/sw.ts'
        next()
      })
    },
    generateBundle: {
      // after vite:build-html has emitted index.html
      order: 'post',
      async handler (_options, bundle) {
        if (config?.command !== 'build') return
        const hash = createHash('sha256')
        const files: string[] = []
        for (const [fileName, item] of Object.entries(bundle)) {
          if (fileName.endsWith('.map')) continue
          files.push(fileName)
          hash.update(fileName)
          hash.update(item.type === 'chunk' ? item.code : item.source)
        }
        const publicDir = config.publicDir
        if (publicDir !== '' && config.build.copyPublicDir) {
          for (const rel of await listFilesUnder(publicDir)) {
            if (rel.startsWith('.')) continue
            files.push(rel)
            hash.update(rel)
            hash.update(await readFile(path.join(publicDir, rel)))
          }
        }
        version = hash.digest('hex').slice(0, 16)
        const manifest = {
          version,
          files: [...new Set(files)].sort().map(f => `/${f}`)
        }
        this.emitFile({
          type: 'asset',
          fileName: 'asset-manifest.json',
          source: `${JSON.stringify(manifest, null, 2)}\n`
        })
      }
    },
    async closeBundle (error?: Error) {
      if (config?.command !== 'build' || version == null || error != null) return
      await build({
        configFile: false,
        root: appRoot,
        publicDir: false,
        logLevel: config.logLevel,
        mode: config.mode,
        define: { __CHIRAL_SW_VERSION__: JSON.stringify(version) },
        build: {
          outDir: config.build.outDir,
          emptyOutDir: false,
          copyPublicDir: false,
          target: TARGET,
          sourcemap: false,
          reportCompressedSize: false,
          rolldownOptions: {
            input: { sw: swEntry },
            output: { format: 'es', entryFileNames: 'sw.js', codeSplitting: false }
          }
        }
      })
    }
  }
}

export default defineConfig({
  root: appRoot,
  publicDir: fileURLToPath(new URL('./public/', import.meta.url)),
  plugins: [solid(), chiralServiceWorker()],
  define: { __CHIRAL_SW_VERSION__: JSON.stringify('dev') },
  build: {
    outDir: fileURLToPath(new URL('./dist/', import.meta.url)),
    emptyOutDir: true,
    target: TARGET,
    // libp2p is most of the bundle, and the page can do nothing useful without it
    chunkSizeWarningLimit: 1024
  },
  worker: { format: 'es' },
  // `npx vite` beside a running relay (`npm start`): the page asks the relay where it is
  server: {
    proxy: { '/bootstrap.json': process.env.CHIRAL_RELAY_URL ?? 'http://localhost:8080' }
  }
})

import react from '@vitejs/plugin-react'
import { type Plugin, defineConfig } from 'vite'

// The API routes `taskmarket start` serves; `npm run dev` proxies them to TASKMARKET_SERVER.
const apiPaths = ['/auth', '/api-keys', '/tasks', '/blobs', '/wallet', '/nodes', '/stats', '/config', '/jobs', '/docs', '/assignments', '/disputes', '/profile', '/blocks']
const target = process.env.TASKMARKET_SERVER ?? 'http://localhost:8080'

/** The browser needs the contracts' ABIs, never their bytecode (~95 KB): drop it from the generated files. */
function abiOnly(): Plugin {
  return {
    name: 'taskmarket-abi-only',
    transform(code, id) {
      if (!/packages[\\/]chain[\\/]src[\\/]generated[\\/]\w+\.ts$/.test(id)) return undefined
      return { code: code.replace(/"bytecode":\s*"0x[0-9a-fA-F]*"/, '"bytecode": "0x"'), map: null }
    },
  }
}

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react(), abiOnly()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: {
    proxy: {
      ...Object.fromEntries(apiPaths.map((p) => [p, { target, changeOrigin: false }])),
      '/ws': { target: target.replace(/^http/, 'ws'), ws: true },
    },
  },
})

/**
 * Compiles the AssemblyScript path tracer in `assembly/` with the pinned `asc` into
 * `build/pathtracer.wasm`: optimized, no imports at all, memory exported. Skips the work when neither
 * the sources nor the compiler nor its options changed since the last run.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const sourceDir = join(root, 'assembly')
const outDir = join(root, 'build')
const outFile = join(outDir, 'pathtracer.wasm')
const stamp = join(outDir, '.fingerprint')
const require = createRequire(import.meta.url)
const ascVersion = (JSON.parse(readFileSync(require.resolve('assemblyscript/package.json'), 'utf8')) as { version: string }).version

// `--use abort=` drops the only host import; SIMD and threads stay off (asc's defaults).
const options = ['-O3', '--noAssert', '--runtime', 'stub', '--use', 'abort=', '--noColors']

export async function build({ force = false } = {}) {
  const files = readdirSync(sourceDir).filter((f) => f.endsWith('.ts')).sort()
  const hash = createHash('sha256').update(ascVersion).update(JSON.stringify(options))
  for (const file of files) hash.update(file).update('\0').update(readFileSync(join(sourceDir, file))).update('\0')
  const fingerprint = hash.digest('hex')
  if (!force && existsSync(outFile) && existsSync(stamp) && readFileSync(stamp, 'utf8') === fingerprint) {
    return { skipped: true as const }
  }

  // Loading the compiler (binaryen) takes seconds, so only when there is something to compile.
  const { default: asc } = await import('assemblyscript/asc')
  let binary: Uint8Array | undefined
  const errors: string[] = []
  const { error } = await asc.main([join(sourceDir, 'index.ts'), '--outFile', 'pathtracer.wasm', ...options], {
    writeFile(name, contents) {
      if (name.endsWith('pathtracer.wasm') && typeof contents !== 'string') binary = contents
    },
    stdout: { write: (chunk) => void process.stdout.write(chunk) },
    stderr: { write: (chunk) => void errors.push(String(chunk)) },
  })
  if (error || !binary) throw new Error(`asc failed: ${error?.message ?? 'no output'}\n${errors.join('')}`)

  mkdirSync(outDir, { recursive: true })
  // Write then rename, so a test or worker reading concurrently never sees half a module.
  writeFileSync(`${outFile}.tmp`, binary)
  renameSync(`${outFile}.tmp`, outFile)
  writeFileSync(stamp, fingerprint)
  return { skipped: false as const, bytes: binary.length }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now()
  const result = await build({ force: process.argv.includes('--force') })
  const ms = Math.round(performance.now() - started)
  console.log(
    result.skipped
      ? `pathtracer unchanged, build/pathtracer.wasm up to date (${ms} ms)`
      : `compiled assembly/ with asc ${ascVersion} in ${ms} ms: build/pathtracer.wasm, ${result.bytes} bytes`,
  )
}

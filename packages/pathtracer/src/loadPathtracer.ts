import { readFileSync } from 'node:fs'
import { PathtracerError } from './errors.ts'

const wasmUrl = new URL('../build/pathtracer.wasm', import.meta.url)

/** The compiled path tracer (build/pathtracer.wasm) as bytes, for `renderTile` or a worker's job. */
export function loadPathtracer(): Uint8Array {
  try {
    return readFileSync(wasmUrl)
  } catch (cause) {
    throw new PathtracerError(
      'pathtracer_not_built',
      `${wasmUrl.pathname} is missing: run \`npm run build -w @taskmarket/pathtracer\``,
      { cause },
    )
  }
}

import { ABI_VERSION, encodeScene } from './encodeScene.ts'
import { PathtracerError, TileError } from './errors.ts'
import { loadPathtracer } from './loadPathtracer.ts'
import type { Scene } from './scene.ts'
import type { Tile } from './tile.ts'

interface PathtracerExports {
  memory: WebAssembly.Memory
  abiVersion(): number
  prepare(sceneFloats: number, pixels: number): number
  render(x: number, y: number, width: number, height: number): number
}

const compiled = new WeakMap<object, WebAssembly.Module>()

/**
 * Compiles the path tracer's bytes once (cached per byte array); pass the module to `renderTile`
 * to skip the lookup, or to a worker thread.
 */
export function compilePathtracer(wasm: Uint8Array | WebAssembly.Module = loadPathtracer()): WebAssembly.Module {
  if (wasm instanceof WebAssembly.Module) return wasm
  let module = compiled.get(wasm)
  if (!module) {
    // A Uint8Array over a SharedArrayBuffer is not a BufferSource; copy it into one that is.
    module = new WebAssembly.Module(wasm.buffer instanceof ArrayBuffer ? (wasm as Uint8Array<ArrayBuffer>) : wasm.slice())
    compiled.set(wasm, module)
  }
  return module
}

/**
 * Renders one tile of a scene from `parseScene`, synchronously, in a fresh instance.
 * Returns tile.width*tile.height*4 RGBA bytes; the same scene and tile give the same bytes anywhere.
 * @example renderTile(loadPathtracer(), scene, planTiles(scene, 32)[0])
 */
export function renderTile(wasm: Uint8Array | WebAssembly.Module, scene: Scene, tile: Tile): Uint8Array {
  checkTile(scene, tile)
  const instance = new WebAssembly.Instance(compilePathtracer(wasm), {})
  const pt = instance.exports as unknown as PathtracerExports
  if (pt.abiVersion() !== ABI_VERSION) {
    throw new PathtracerError('pathtracer_abi_mismatch', `pathtracer.wasm has ABI ${pt.abiVersion()}, expected ${ABI_VERSION}: rebuild it`)
  }
  const flat = encodeScene(scene)
  const pixels = tile.width * tile.height
  const scenePtr = pt.prepare(flat.length, pixels)
  if (scenePtr === 0) throw new PathtracerError('pathtracer_out_of_memory', `no memory for a ${tile.width}x${tile.height} tile`)
  new Float64Array(pt.memory.buffer, scenePtr, flat.length).set(flat)
  const out = pt.render(tile.x, tile.y, tile.width, tile.height)
  return new Uint8Array(pt.memory.buffer, out, pixels * 4).slice()
}

function checkTile(scene: Scene, tile: Tile) {
  for (const key of ['x', 'y', 'width', 'height'] as const) {
    if (!Number.isInteger(tile[key]) || tile[key] < (key === 'x' || key === 'y' ? 0 : 1)) {
      throw new TileError(`tile.${key}`, key === 'x' || key === 'y' ? 'must be an integer ≥ 0' : 'must be an integer ≥ 1')
    }
  }
  if (tile.x + tile.width > scene.width) throw new TileError('tile.width', `reaches past the image width ${scene.width}`)
  if (tile.y + tile.height > scene.height) throw new TileError('tile.height', `reaches past the image height ${scene.height}`)
}

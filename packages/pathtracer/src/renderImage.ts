import { assemblePng } from './assemblePng.ts'
import { loadPathtracer } from './loadPathtracer.ts'
import { planTiles } from './planTiles.ts'
import { compilePathtracer, renderTile } from './renderTile.ts'
import type { Scene } from './scene.ts'

/**
 * Renders every tile of the scene in this thread and assembles the PNG: a reference render.
 * @example renderImage(exampleScenes.cornell, 32)
 */
export function renderImage(
  scene: Scene,
  tileSize: number,
  wasm: Uint8Array | WebAssembly.Module = loadPathtracer(),
): Buffer {
  const module = compilePathtracer(wasm)
  const tiles = planTiles(scene, tileSize).map((tile) => ({ tile, rgba: renderTile(module, scene, tile) }))
  return assemblePng(scene, tiles)
}

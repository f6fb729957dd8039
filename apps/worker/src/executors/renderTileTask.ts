// Runs in a worker thread (runInWorkerThread), started by renderingExecutor.ts.
import { renderTile, type Scene, type Tile } from '@taskmarket/pathtracer'

export type RenderTileTaskInput = {
  /** The compiled path tracer, compiled once by the main thread and shared with each thread. */
  wasm: WebAssembly.Module
  scene: Scene
  tile: Tile
  /** The tile is rendered in this many horizontal strips, reporting progress after each. */
  strips: number
}

/**
 * Renders a tile strip by strip and returns its RGBA bytes. Same bytes as one renderTile call: the
 * path tracer seeds every pixel from (scene seed, x, y), so a pixel does not depend on its strip.
 */
export default function renderTileTask(input: RenderTileTaskInput, host: { progress(fraction: number): void }): Uint8Array {
  const { tile } = input
  const rgba = new Uint8Array(tile.width * tile.height * 4)
  const rowsPerStrip = Math.max(1, Math.ceil(tile.height / input.strips))
  for (let row = 0; row < tile.height; row += rowsPerStrip) {
    const rows = Math.min(rowsPerStrip, tile.height - row)
    rgba.set(renderTile(input.wasm, input.scene, { ...tile, y: tile.y + row, height: rows }), row * tile.width * 4)
    host.progress((row + rows) / tile.height)
  }
  return rgba
}

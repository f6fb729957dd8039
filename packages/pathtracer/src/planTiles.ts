import { TileError } from './errors.ts'
import type { Scene } from './scene.ts'
import type { Tile } from './tile.ts'

/**
 * Splits the image into square tiles of `tileSize` (smaller at the right and bottom edges), row-major.
 * @example planTiles(scene, 32) // a 128x128 scene gives 16 tiles, index 0..15
 */
export function planTiles(scene: Pick<Scene, 'width' | 'height'>, tileSize: number): Tile[] {
  if (!Number.isInteger(tileSize) || tileSize < 1) throw new TileError('tileSize', 'must be a positive integer')
  const tiles: Tile[] = []
  for (let y = 0; y < scene.height; y += tileSize) {
    for (let x = 0; x < scene.width; x += tileSize) {
      const width = Math.min(tileSize, scene.width - x)
      const height = Math.min(tileSize, scene.height - y)
      tiles.push({ index: tiles.length, x, y, width, height })
    }
  }
  return tiles
}

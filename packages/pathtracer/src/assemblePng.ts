import { encodePng } from './encodePng.ts'
import { TileError } from './errors.ts'
import type { Scene } from './scene.ts'
import type { RenderedTile } from './tile.ts'

/** Places rendered tiles into the full image and encodes it as a PNG; the tiles must cover every pixel exactly once. */
export function assemblePng(scene: Pick<Scene, 'width' | 'height'>, tiles: readonly RenderedTile[]): Buffer {
  const { width, height } = scene
  const rgba = new Uint8Array(width * height * 4)
  const covered = new Uint8Array(width * height)
  for (const [i, { tile, rgba: pixels }] of tiles.entries()) {
    if (tile.x < 0 || tile.y < 0 || tile.x + tile.width > width || tile.y + tile.height > height) {
      throw new TileError(`tiles[${i}]`, `lies outside the ${width}x${height} image`)
    }
    if (pixels.length !== tile.width * tile.height * 4) {
      throw new TileError(`tiles[${i}].rgba`, `must have ${tile.width * tile.height * 4} bytes, has ${pixels.length}`)
    }
    for (let row = 0; row < tile.height; row++) {
      const y = tile.y + row
      for (let x = tile.x; x < tile.x + tile.width; x++) {
        if (covered[y * width + x]++) throw new TileError(`tiles[${i}]`, `overlaps another tile at pixel (${x}, ${y})`)
      }
      rgba.set(pixels.subarray(row * tile.width * 4, (row + 1) * tile.width * 4), (y * width + tile.x) * 4)
    }
  }
  const missing = covered.indexOf(0)
  if (missing >= 0) throw new TileError('tiles', `leave pixel (${missing % width}, ${Math.floor(missing / width)}) uncovered`)
  return encodePng(width, height, rgba)
}

/** A rectangle of the image, in pixels; `index` is its position in row-major order. */
export interface Tile {
  index: number
  x: number
  y: number
  width: number
  height: number
}

/** A rendered tile: `rgba` holds width*height*4 bytes, rows top to bottom. */
export interface RenderedTile {
  tile: Tile
  rgba: Uint8Array
}

import { describe, expect, it } from 'vitest'
import { assemblePng } from './assemblePng.ts'
import { decodePng } from './decodePng.ts'
import { TileError } from './errors.ts'
import { planTiles } from './planTiles.ts'

const image = { width: 10, height: 6 }
// Each tile filled with its own index, so placement errors show.
const rendered = planTiles(image, 4).map((tile) => ({
  tile,
  rgba: new Uint8Array(tile.width * tile.height * 4).fill(tile.index + 1),
}))

function fieldOf(run: () => unknown) {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(TileError)
    return (error as TileError).field
  }
  throw new Error('expected a TileError')
}

describe('assemblePng', () => {
  it('places every tile at its position, in any order', () => {
    const { width, height, rgba } = decodePng(assemblePng(image, [...rendered].reverse()))
    expect([width, height]).toEqual([10, 6])
    for (const { tile } of rendered) {
      for (let y = tile.y; y < tile.y + tile.height; y++) {
        for (let x = tile.x; x < tile.x + tile.width; x++) expect(rgba[(y * width + x) * 4]).toBe(tile.index + 1)
      }
    }
  })

  it('refuses missing, overlapping, misplaced or wrongly sized tiles', () => {
    expect(fieldOf(() => assemblePng(image, rendered.slice(1)))).toBe('tiles')
    expect(fieldOf(() => assemblePng(image, [...rendered, rendered[0]]))).toBe(`tiles[${rendered.length}]`)
    expect(fieldOf(() => assemblePng(image, [{ ...rendered[0], tile: { ...rendered[0].tile, x: 8 } }]))).toBe('tiles[0]')
    expect(fieldOf(() => assemblePng(image, [{ ...rendered[0], rgba: new Uint8Array(3) }]))).toBe('tiles[0].rgba')
  })
})

import { describe, expect, it } from 'vitest'
import { TileError } from './errors.ts'
import { planTiles } from './planTiles.ts'

describe('planTiles', () => {
  it('splits 128x128 into 16 tiles of 32, row-major', () => {
    const tiles = planTiles({ width: 128, height: 128 }, 32)
    expect(tiles).toHaveLength(16)
    expect(tiles[0]).toEqual({ index: 0, x: 0, y: 0, width: 32, height: 32 })
    expect(tiles[5]).toEqual({ index: 5, x: 32, y: 32, width: 32, height: 32 })
    expect(tiles[15]).toEqual({ index: 15, x: 96, y: 96, width: 32, height: 32 })
  })

  it('covers every pixel exactly once when the size does not divide the image', () => {
    const width = 100
    const height = 37
    const covered = new Uint8Array(width * height)
    const tiles = planTiles({ width, height }, 16)
    expect(tiles).toHaveLength(7 * 3)
    for (const t of tiles) for (let y = t.y; y < t.y + t.height; y++) for (let x = t.x; x < t.x + t.width; x++) covered[y * width + x]++
    expect(covered.every((c) => c === 1)).toBe(true)
    expect(tiles.at(-1)).toEqual({ index: 20, x: 96, y: 32, width: 4, height: 5 })
  })

  it('refuses a tile size that is not a positive integer', () => {
    expect(() => planTiles({ width: 8, height: 8 }, 0)).toThrow(TileError)
    expect(() => planTiles({ width: 8, height: 8 }, 2.5)).toThrow(TileError)
  })
})

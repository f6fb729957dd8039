import { createHash } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { assemblePng } from './assemblePng.ts'
import { decodePng } from './decodePng.ts'
import { TileError } from './errors.ts'
import { exampleScenes } from './exampleScenes.ts'
import { loadPathtracer } from './loadPathtracer.ts'
import { parseScene } from './parseScene.ts'
import { planTiles } from './planTiles.ts'
import { renderImage } from './renderImage.ts'
import { compilePathtracer, renderTile } from './renderTile.ts'

let wasm: Uint8Array
beforeAll(() => {
  wasm = loadPathtracer()
})

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

function meanLuminance(rgba: Uint8Array) {
  let sum = 0
  for (let i = 0; i < rgba.length; i += 4) sum += 0.2126 * rgba[i] + 0.7152 * rgba[i + 1] + 0.0722 * rgba[i + 2]
  return sum / (rgba.length / 4)
}

describe('renderTile', () => {
  it('gives identical bytes for the same tile, in one module and in two separately compiled ones', () => {
    const scene = exampleScenes.cornell
    const tile = planTiles(scene, 32)[5]
    const first = renderTile(wasm, scene, tile)
    expect(first.length).toBe(32 * 32 * 4)
    expect(renderTile(wasm, scene, tile)).toEqual(first)
    // Two modules compiled from two copies of the bytes: nothing is shared with the first render.
    const a = compilePathtracer(new Uint8Array(wasm))
    const b = compilePathtracer(new Uint8Array(wasm))
    expect(a).not.toBe(b)
    expect(sha256(renderTile(a, scene, tile))).toBe(sha256(first))
    expect(sha256(renderTile(b, scene, tile))).toBe(sha256(first))
  })

  it('depends on the seed', () => {
    const scene = exampleScenes.spheres
    const tile = planTiles(scene, 32)[6]
    const reseeded = parseScene({ ...scene, seed: scene.seed + 1 })
    expect(sha256(renderTile(wasm, reseeded, tile))).not.toBe(sha256(renderTile(wasm, scene, tile)))
  })

  it.each(Object.keys(exampleScenes) as (keyof typeof exampleScenes)[])(
    '%s: 16 tiles assembled equal the image rendered as one tile',
    (name) => {
      const scene = exampleScenes[name]
      const whole = renderTile(wasm, scene, { index: 0, x: 0, y: 0, width: scene.width, height: scene.height })
      const png = renderImage(scene, scene.width / 4, wasm)
      const decoded = decodePng(png)
      expect([decoded.width, decoded.height]).toEqual([scene.width, scene.height])
      expect(Buffer.from(decoded.rgba).equals(Buffer.from(whole))).toBe(true)
      // Uneven tiles (edge tiles smaller) assemble to the same pixels too.
      const uneven = planTiles(scene, 48).map((tile) => ({ tile, rgba: renderTile(wasm, scene, tile) }))
      expect(Buffer.from(decodePng(assemblePng(scene, uneven)).rgba).equals(Buffer.from(whole))).toBe(true)
    },
  )

  it.each(Object.keys(exampleScenes) as (keyof typeof exampleScenes)[])('%s: is a lit image, not black or blown out', (name) => {
    const scene = exampleScenes[name]
    const rgba = renderTile(wasm, scene, { index: 0, x: 0, y: 0, width: scene.width, height: scene.height })
    const mean = meanLuminance(rgba)
    expect(mean).toBeGreaterThan(60)
    expect(mean).toBeLessThan(230)
    let brightest = 0
    for (let i = 0; i < rgba.length; i += 4) brightest = Math.max(brightest, Math.min(rgba[i], rgba[i + 1], rgba[i + 2]))
    expect(brightest).toBe(255) // the light (or the sky) saturates
    for (let i = 3; i < rgba.length; i += 4) expect(rgba[i]).toBe(255)
  })

  it('renders the Cornell box to pinned bytes (a change here means tiles no longer match other builds)', () => {
    // If the algorithm changes on purpose, bump ABI_VERSION (assembly/layout.ts, src/encodeScene.ts) and update this.
    const scene = parseScene({ ...exampleScenes.cornell, width: 32, height: 32, samples_per_pixel: 4 })
    const rgba = renderTile(wasm, scene, { index: 0, x: 0, y: 0, width: 32, height: 32 })
    expect(sha256(rgba)).toBe(PINNED_CORNELL_32)
  })

  it('refuses tiles outside the image', () => {
    const scene = exampleScenes.cornell
    const bad = [
      [{ index: 0, x: -1, y: 0, width: 8, height: 8 }, 'tile.x'],
      [{ index: 0, x: 0, y: 0.5, width: 8, height: 8 }, 'tile.y'],
      [{ index: 0, x: 0, y: 0, width: 0, height: 8 }, 'tile.width'],
      [{ index: 0, x: 120, y: 0, width: 16, height: 8 }, 'tile.width'],
      [{ index: 0, x: 0, y: 127, width: 8, height: 2 }, 'tile.height'],
    ] as const
    for (const [tile, field] of bad) {
      expect(() => renderTile(wasm, scene, tile)).toThrow(TileError)
      try {
        renderTile(wasm, scene, tile)
      } catch (error) {
        expect((error as TileError).field).toBe(field)
      }
    }
  })

  it('times a 16-tile render of each example scene', () => {
    const module = compilePathtracer(wasm)
    for (const [name, scene] of Object.entries(exampleScenes)) {
      const started = performance.now()
      for (const tile of planTiles(scene, scene.width / 4)) renderTile(module, scene, tile)
      const ms = performance.now() - started
      console.log(
        `pathtracer: ${name} ${scene.width}x${scene.height}, ${scene.samples_per_pixel} spp, 16 tiles: ${ms.toFixed(0)} ms`,
      )
    }
  })
})

const PINNED_CORNELL_32 = '19cdd0169982027a054b84c288dbaf92f63fa1de0d3e5a3c89b09e11adfb722a'

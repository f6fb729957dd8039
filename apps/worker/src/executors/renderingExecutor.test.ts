import { exampleScenes, loadPathtracer, parseScene, renderTile } from '@taskmarket/pathtracer'
import { describe, expect, it } from 'vitest'
import { renderingExecutor } from './renderingExecutor.ts'
import { createTestContext } from './testing/testContext.ts'
import { ExecutorError } from './types.ts'

// The example scene as JSON, as a poster would send it (128×128, 16 samples per pixel).
const sceneJson = JSON.parse(JSON.stringify(exampleScenes.spheres))
const job = (payload: unknown) => ({ taskId: 'task-1', jobId: 'job-1', kind: 'rendering', payload })
const executor = renderingExecutor()

describe('renderingExecutor', () => {
  it('outputs the RGBA bytes the path tracer renders for the tile', async () => {
    const tile = { index: 5, x: 32, y: 32, width: 32, height: 24 }
    const out = await executor.run(job({ scene: sceneJson, tile }), createTestContext().ctx)
    const reference = renderTile(loadPathtracer(), parseScene(sceneJson), tile)
    expect(out.contentType).toBe('application/octet-stream')
    expect(out.output).toHaveLength(32 * 24 * 4)
    expect(Buffer.from(out.output).equals(reference)).toBe(true)
    expect(out.metrics).toMatchObject({ pixels: 32 * 24, samples: 32 * 24 * 16 })
  })

  it('gives the same bytes every run, edge tiles included', async () => {
    const tile = { index: 15, x: 96, y: 100, width: 32, height: 28 }
    const first = await executor.run(job({ scene: sceneJson, tile }), createTestContext().ctx)
    const second = await executor.run(job({ scene: sceneJson, tile }), createTestContext().ctx)
    expect(Buffer.from(second.output).equals(first.output)).toBe(true)
  })

  it('takes the scene as JSON text too', async () => {
    const tile = { index: 0, x: 0, y: 0, width: 8, height: 8 }
    const fromText = await executor.run(job({ scene: JSON.stringify(sceneJson), tile }), createTestContext().ctx)
    expect(Buffer.from(fromText.output).equals(renderTile(loadPathtracer(), exampleScenes.spheres, tile))).toBe(true)
  })

  it('reports progress strip by strip, up to 1', async () => {
    const t = createTestContext()
    await executor.run(job({ scene: sceneJson, tile: { index: 0, x: 0, y: 0, width: 16, height: 16 } }), t.ctx)
    expect(t.reports.length).toBeGreaterThanOrEqual(1)
    expect(t.reports.at(-1)?.fraction).toBe(1)
  })

  const heavy = { scene: { ...sceneJson, samples_per_pixel: 1024 }, tile: { index: 0, x: 0, y: 0, width: 128, height: 128 } }

  it('stops promptly when the signal is aborted', async () => {
    const t = createTestContext()
    const run = executor.run(job(heavy), t.ctx)
    const started = performance.now()
    setTimeout(() => t.controller.abort(new Error('lease lost')), 300)
    await expect(run).rejects.toMatchObject({ code: 'ABORTED' })
    expect(performance.now() - started).toBeLessThan(2_000)
  })

  it('stops a tile that runs past its time limit', async () => {
    const run = renderingExecutor({ timeLimitMs: 200 }).run(job(heavy), createTestContext().ctx)
    await expect(run).rejects.toMatchObject({ code: 'TIME_LIMIT' })
  })

  it.each([
    [{ tile: { index: 0, x: 0, y: 0, width: 1, height: 1 } }, 'scene'],
    [{ scene: { ...sceneJson, width: 0 }, tile: { index: 0, x: 0, y: 0, width: 1, height: 1 } }, 'scene.width'],
    [{ scene: { ...sceneJson, camera: { ...sceneJson.camera, fov: 500 } }, tile: { index: 0, x: 0, y: 0, width: 1, height: 1 } }, 'scene.camera.fov'],
    [{ scene: sceneJson }, 'tile'],
    [{ scene: sceneJson, tile: { x: 0, y: 0, width: 1, height: 1 } }, 'tile.index'],
    [{ scene: sceneJson, tile: { index: 0, x: 128, y: 0, width: 1, height: 1 } }, 'tile.x'],
    [{ scene: sceneJson, tile: { index: 0, x: 0, y: -1, width: 1, height: 1 } }, 'tile.y'],
    [{ scene: sceneJson, tile: { index: 0, x: 120, y: 0, width: 9, height: 1 } }, 'tile.width'],
    [{ scene: sceneJson, tile: { index: 0, x: 0, y: 0, width: 1, height: 0 } }, 'tile.height'],
  ])('names the bad field of a payload: %#, %s', (payload, field) => {
    let error: unknown
    try {
      executor.validate(payload)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ExecutorError)
    expect(error).toMatchObject({ code: 'INVALID_PAYLOAD', field })
    expect((error as Error).message).toContain(field)
  })

  it('refuses tiles above its pixel limit', () => {
    const small = renderingExecutor({ maxTilePixels: 100 })
    expect(() => small.validate({ scene: sceneJson, tile: { index: 0, x: 0, y: 0, width: 11, height: 10 } })).toThrow(
      expect.objectContaining({ code: 'INVALID_PAYLOAD', field: 'tile.height' }),
    )
  })
})

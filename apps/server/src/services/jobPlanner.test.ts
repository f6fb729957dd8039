import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TaskMarketError } from '@taskmarket/core'
import { type Database, createTestDatabase } from '@taskmarket/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BlobStore, createBlobStore } from './blobStore.ts'
import { MAX_JOBS, MAX_PLANNED_BYTES, MAX_SCENE_BYTES, planJobs, smallestTile } from './jobPlanner.ts'

let db: Database
let blobs: BlobStore
beforeAll(async () => {
  db = await createTestDatabase()
  blobs = createBlobStore({ dir: mkdtempSync(join(tmpdir(), 'taskmarket-planner-')), db, maxBytes: 64 * 1024 * 1024 })
})
afterAll(() => db?.close())

/** The planner's refusal as { field, reason }, or the jobs it planned. */
async function plan(kind: Parameters<typeof planJobs>[0], payload: Record<string, unknown>) {
  try {
    return { jobs: await planJobs(kind, payload, blobs) }
  } catch (error) {
    if (!(error instanceof TaskMarketError)) throw error
    return { code: error.code, field: error.field, reason: String(error.details?.reason) }
  }
}

/** An inline scene of `spheres` spheres: a few hundred bytes each in every tile's job. */
const sceneOf = (spheres: number, width = 1024, height = 1024) => ({
  width, height, samples_per_pixel: 1, max_bounces: 1,
  camera: { position: [0, 1, 3], look_at: [0, 1, 0], fov: 40 },
  objects: Array.from({ length: spheres }, (_, i) => ({ type: 'sphere', position: [i * 0.01, 0.5, -1], radius: 0.1, material: { type: 'diffuse', color: [0.5, 0.5, 0.5] } })),
})

describe('planJobs caps', () => {
  it('refuses a 4096×4096 render in 8-pixel tiles (262,144 jobs) by arithmetic, naming tile_size, the cap and the tile that fits', async () => {
    const started = performance.now()
    const refused = await plan('rendering', { scene_file: 'example:cornell', resolution: '4096x4096', tile_size: 8 })
    expect(refused).toEqual({
      code: 'VALIDATION',
      field: 'payload.tile_size',
      reason: 'would make 262144 jobs, more than the 10000 a rendering task may have; 4096×4096 in 8-pixel tiles; use tiles of at least 41 pixels or a lower resolution',
    })
    // Nothing was planned: no tile list of 262,144 entries was built before the answer.
    expect(performance.now() - started).toBeLessThan(500)
    expect(Math.ceil(4096 / 41) ** 2).toBeLessThanOrEqual(MAX_JOBS.rendering)
    expect(Math.ceil(4096 / 40) ** 2).toBeGreaterThan(MAX_JOBS.rendering)
  })

  it('plans the largest render the cap allows, and the tile count it says', async () => {
    const { jobs } = await plan('rendering', { scene_file: 'example:cornell', resolution: '4096x4096', tile_size: smallestTile(4096, 4096, MAX_JOBS.rendering) })
    expect(jobs).toHaveLength(Math.ceil(4096 / 41) ** 2)
    expect(smallestTile(1000, 10, 100)).toBe(10)
    expect(smallestTile(128, 128, 16)).toBe(32)
  })

  it('refuses planned bytes past the cap: an inline scene copied into every tile', async () => {
    const scene = sceneOf(256)
    const refused = await plan('rendering', { scene, tile_size: 16 })
    expect(refused).toMatchObject({ code: 'VALIDATION', field: 'payload.scene' })
    expect(refused.reason).toMatch(new RegExp(`^the 4096 jobs would carry \\d+ bytes of payload, more than the cap of ${MAX_PLANNED_BYTES}`))
    // The same scene in few tiles fits.
    expect((await plan('rendering', { scene, tile_size: 512 })).jobs).toHaveLength(4)
  })

  it('refuses a scene blob larger than a scene can be before reading it', async () => {
    const big = await blobs.putBuffer(new Uint8Array(MAX_SCENE_BYTES + 1).fill(32), 'application/json')
    expect(await plan('rendering', { scene_file: big.hash })).toMatchObject({ field: 'payload.scene_file', reason: `the scene blob is ${MAX_SCENE_BYTES + 1} bytes, more than the ${MAX_SCENE_BYTES} a scene may have` })
  })

  it('computes chunks as ceil(size / chunk) and refuses past the cap with the chunk size that fits', async () => {
    const input = await blobs.putBuffer(new Uint8Array(10_001).fill(7), 'application/octet-stream')
    const module = await blobs.putBuffer(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]), 'application/wasm')
    expect(await plan('wasm', { module: module.hash, input: input.hash, chunk_size: 1 })).toEqual({
      code: 'VALIDATION',
      field: 'payload.chunk_size',
      reason: 'would make 10001 jobs, more than the 10000 a wasm task may have; the input is 10001 bytes; use chunks of at least 2 bytes',
    })
    const { jobs } = await plan('wasm', { module: module.hash, input: input.hash, chunk_size: 2 })
    expect(jobs).toHaveLength(5001)
    expect(jobs!.at(-1)).toMatchObject({ offset: 10_000, length: 1 })
    expect((await plan('hash', { input: input.hash, chunk_size: 1024 })).jobs).toHaveLength(10)
  })

  it('checks the slots of human work against the caps their schemas state', async () => {
    expect((await plan('poll', { respondents: 200 })).jobs).toHaveLength(200)
    expect(await plan('poll', { respondents: 201 })).toMatchObject({ field: 'payload.respondents', reason: expect.stringMatching(/more than the 200 a poll task may have/) })
    expect(await plan('manual', { assignments: 101 })).toMatchObject({ field: 'payload.assignments', reason: expect.stringMatching(/more than the 100 a manual task/) })
    expect((await plan('synthetic', { seed: '0x1', matrix_size: 8, iterations: 1 })).jobs).toHaveLength(1)
  })
})

import { type ChallengeType, TaskMarketError, invalid } from '@taskmarket/core'
import { SceneError, exampleScenes, parseScene, planTiles } from '@taskmarket/pathtracer'
import type { BlobStore } from './blobStore.ts'

export const MAX_JOBS_PER_TASK = 10_000
export const MAX_SYNTHETIC_WORK = 2e10

/**
 * Splits a task into jobs: chunks of a dataset (`hash`, `wasm`), tiles of an image (`rendering`), or one
 * job (`synthetic`, `inference`, `training`). Payload fields are already schema-checked; this checks what
 * needs the blob store or the scene parser, and names the field it refuses.
 */
export async function planJobs(kind: ChallengeType, payload: Record<string, any>, blobs: BlobStore): Promise<unknown[]> {
  switch (kind) {
    case 'hash': {
      const blob = await requireBlob(blobs, payload.input, 'payload.input')
      return chunks(blob.size, payload.chunk_size ?? 1024 * 1024).map(({ offset, length }) => ({
        blob: payload.input,
        offset,
        length,
        algorithm: payload.algorithm ?? 'sha256',
      }))
    }
    case 'wasm': {
      await requireBlob(blobs, payload.module, 'payload.module')
      const input = await requireBlob(blobs, payload.input, 'payload.input')
      return chunks(input.size, payload.chunk_size ?? 1024 * 1024).map(({ offset, length }) => ({
        module: payload.module,
        input: payload.input,
        offset,
        length,
        memory_limit_mb: payload.memory_limit_mb ?? 64,
        time_limit_ms: payload.time_limit_ms ?? 10_000,
      }))
    }
    case 'synthetic': {
      // The same work cap the worker's executor enforces (matrix_size³ × iterations multiply-adds).
      if (payload.matrix_size ** 3 * payload.iterations > MAX_SYNTHETIC_WORK) {
        throw invalid('payload.iterations', `matrix_size³ × iterations must be at most ${MAX_SYNTHETIC_WORK.toExponential()}; split the work into several tasks`)
      }
      return [payload]
    }
    case 'rendering': {
      const scene = await resolveScene(payload, blobs)
      return planTiles(scene, payload.tile_size ?? 32).map((tile) => ({ scene, tile }))
    }
    case 'manual':
      // One job per assignment slot; each is claimed by one person.
      return Array.from({ length: payload.assignments ?? 1 }, (_, slot) => ({ slot }))
    case 'poll':
      return Array.from({ length: payload.respondents }, (_, slot) => ({ slot }))
    default:
      return [payload]
  }
}

async function resolveScene(payload: Record<string, any>, blobs: BlobStore) {
  let source: unknown
  let field = 'payload.scene'
  if (payload.scene && payload.scene_file) throw invalid('payload.scene_file', 'give either scene or scene_file, not both')
  if (payload.scene) source = payload.scene
  else if (typeof payload.scene_file === 'string') {
    field = 'payload.scene_file'
    const name = /^example:(.+)$/.exec(payload.scene_file)?.[1]
    if (name) {
      source = (exampleScenes as Record<string, unknown>)[name]
      if (!source) throw invalid(field, `no example scene "${name}"; try ${Object.keys(exampleScenes).map((n) => `example:${n}`).join(', ')}`)
    } else {
      if (!/^[0-9a-f]{64}$/.test(payload.scene_file)) throw invalid(field, 'must be a blob sha256 or "example:<name>"')
      await requireBlob(blobs, payload.scene_file, field)
      try {
        source = JSON.parse((await blobs.read(payload.scene_file)).toString('utf8'))
      } catch {
        throw invalid(field, 'the blob is not valid JSON')
      }
    }
  } else throw invalid('payload.scene', 'is required (or give scene_file)')

  const overrides: Record<string, number> = {}
  if (payload.resolution) {
    const [w, h] = String(payload.resolution).split('x').map(Number)
    Object.assign(overrides, { width: w, height: h })
  }
  if (payload.samples_per_pixel) overrides.samples_per_pixel = payload.samples_per_pixel
  try {
    return parseScene({ ...(source as object), ...overrides })
  } catch (error) {
    if (error instanceof SceneError) {
      const overridden = error.field in overrides ? (error.field === 'width' || error.field === 'height' ? 'payload.resolution' : `payload.${error.field}`) : `${field}.${error.field}`
      throw invalid(overridden, error.reason)
    }
    throw error
  }
}

async function requireBlob(blobs: BlobStore, hash: string, field: string) {
  const blob = await blobs.info(hash)
  if (!blob) throw invalid(field, 'no uploaded blob has this sha256; upload it with PUT /blobs first')
  if (blob.size === 0) throw invalid(field, 'the blob is empty')
  return blob
}

function chunks(size: number, chunkSize: number) {
  const count = Math.ceil(size / chunkSize)
  if (count > MAX_JOBS_PER_TASK) {
    throw new TaskMarketError('VALIDATION', `payload.chunk_size: would make ${count} jobs, more than ${MAX_JOBS_PER_TASK}`, {
      field: 'payload.chunk_size',
      details: { reason: `would make more than ${MAX_JOBS_PER_TASK} jobs` },
    })
  }
  return Array.from({ length: count }, (_, i) => ({ offset: i * chunkSize, length: Math.min(chunkSize, size - i * chunkSize) }))
}

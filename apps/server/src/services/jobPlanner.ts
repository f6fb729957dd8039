import { type ChallengeType, SYNTHETIC_LIMITS, invalid } from '@taskmarket/core'
import { SceneError, exampleScenes, parseScene, planTiles } from '@taskmarket/pathtracer'
import type { BlobStore } from './blobStore.ts'

/** Jobs one task of each kind may plan (human kinds: their schema maxima, checked again here). */
export const MAX_JOBS: Record<ChallengeType, number> = { hash: 10_000, wasm: 10_000, rendering: 10_000, synthetic: 1, inference: 1, training: 1, manual: 100, poll: 200 }
/** Bytes of job payloads one task may plan (an inline scene is copied into every tile's job). */
export const MAX_PLANNED_BYTES = 16 * 1024 * 1024
/** Largest scene blob read and parsed while planning (a scene is at most 256 objects). */
export const MAX_SCENE_BYTES = 1024 * 1024

/** What a task would be split into, known before any job is built: how many, one sample, who to blame. */
type Plan = {
  count: number
  /** A job as large as the largest one, to bound the planned bytes. */
  sample: unknown
  /** The field a poster changes to plan fewer jobs, and how. */
  countField: string
  countHint: string
  /** The field a poster changes to plan fewer bytes. */
  bytesField: string
  build(): unknown[]
}

/**
 * Splits a task into jobs: chunks of a dataset (`hash`, `wasm`), tiles of an image (`rendering`), one job
 * per slot (`manual`, `poll`), or one job (`synthetic`, `inference`, `training`). Payload fields are already
 * schema-checked; this checks what needs the blob store or the scene parser, then the kind's caps on jobs
 * and planned bytes, computed from the payload before a single job is built, naming the field to change.
 */
export async function planJobs(kind: ChallengeType, payload: Record<string, any>, blobs: BlobStore): Promise<unknown[]> {
  const plan = await describe(kind, payload, blobs)
  const maxJobs = MAX_JOBS[kind]
  if (plan.count > maxJobs) throw invalid(plan.countField, `would make ${plan.count} jobs, more than the ${maxJobs} a ${kind} task may have; ${plan.countHint}`)
  const bytes = plan.count * Buffer.byteLength(JSON.stringify(plan.sample))
  if (bytes > MAX_PLANNED_BYTES) {
    throw invalid(plan.bytesField, `the ${plan.count} jobs would carry ${bytes} bytes of payload, more than the cap of ${MAX_PLANNED_BYTES}; plan fewer or smaller jobs`)
  }
  return plan.build()
}

async function describe(kind: ChallengeType, payload: Record<string, any>, blobs: BlobStore): Promise<Plan> {
  switch (kind) {
    case 'hash': {
      const blob = await requireBlob(blobs, payload.input, 'payload.input')
      return chunked(blob.size, payload.chunk_size ?? 1024 * 1024, MAX_JOBS.hash, (offset, length) => ({ blob: payload.input, offset, length, algorithm: payload.algorithm ?? 'sha256' }))
    }
    case 'wasm': {
      await requireBlob(blobs, payload.module, 'payload.module')
      const input = await requireBlob(blobs, payload.input, 'payload.input')
      const limits = { memory_limit_mb: payload.memory_limit_mb ?? 64, time_limit_ms: payload.time_limit_ms ?? 10_000 }
      return chunked(input.size, payload.chunk_size ?? 1024 * 1024, MAX_JOBS.wasm, (offset, length) => ({ module: payload.module, input: payload.input, offset, length, ...limits }))
    }
    case 'synthetic':
      // The same work cap the worker's executor enforces (matrix_size³ × iterations multiply-adds).
      if (payload.matrix_size ** 3 * payload.iterations > SYNTHETIC_LIMITS.maxWork) {
        throw invalid('payload.iterations', `matrix_size³ × iterations must be at most ${SYNTHETIC_LIMITS.maxWork.toExponential()}; split the work into several tasks`)
      }
      return single(payload)
    case 'rendering': {
      const scene = await resolveScene(payload, blobs)
      const tile = payload.tile_size ?? 32
      const { width, height } = scene
      const count = Math.ceil(width / tile) * Math.ceil(height / tile)
      const fewest = smallestTile(width, height, MAX_JOBS.rendering)
      return {
        count,
        sample: { scene, tile: { index: count, x: width, y: height, width: tile, height: tile } },
        countField: 'payload.tile_size',
        countHint: `${width}×${height} in ${tile}-pixel tiles; use tiles of at least ${fewest} pixels or a lower resolution`,
        bytesField: payload.scene ? 'payload.scene' : 'payload.tile_size',
        build: () => planTiles(scene, tile).map((t) => ({ scene, tile: t })),
      }
    }
    case 'manual':
      // One job per assignment slot; each is claimed by one person.
      return slots(payload.assignments ?? 1, 'payload.assignments')
    case 'poll':
      return slots(payload.respondents, 'payload.respondents')
    default:
      return single(payload)
  }
}

function single(payload: unknown): Plan {
  return { count: 1, sample: payload, countField: 'payload', countHint: '', bytesField: 'payload', build: () => [payload] }
}

function slots(count: number, field: string): Plan {
  return { count, sample: { slot: count }, countField: field, countHint: 'ask for fewer', bytesField: field, build: () => Array.from({ length: count }, (_, slot) => ({ slot })) }
}

/** Chunks of a blob: `ceil(size / chunkSize)` jobs. */
function chunked(size: number, chunkSize: number, maxJobs: number, job: (offset: number, length: number) => unknown): Plan {
  const count = Math.ceil(size / chunkSize)
  return {
    count,
    sample: job(size, chunkSize),
    countField: 'payload.chunk_size',
    countHint: `the input is ${size} bytes; use chunks of at least ${Math.ceil(size / maxJobs)} bytes`,
    bytesField: 'payload.chunk_size',
    build: () => Array.from({ length: count }, (_, i) => job(i * chunkSize, Math.min(chunkSize, size - i * chunkSize))),
  }
}

/** The smallest square tile that splits `width`×`height` into at most `maxJobs` tiles. */
export function smallestTile(width: number, height: number, maxJobs: number): number {
  let tile = Math.max(1, Math.floor(Math.sqrt((width * height) / maxJobs)))
  while (Math.ceil(width / tile) * Math.ceil(height / tile) > maxJobs) tile++
  return tile
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
      const blob = await requireBlob(blobs, payload.scene_file, field)
      if (blob.size > MAX_SCENE_BYTES) throw invalid(field, `the scene blob is ${blob.size} bytes, more than the ${MAX_SCENE_BYTES} a scene may have`)
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

/** A blob the task will reference; `use` keeps it from being collected while the task is posted. */
async function requireBlob(blobs: BlobStore, hash: string, field: string) {
  const blob = await blobs.use(hash)
  if (!blob) throw invalid(field, 'no uploaded blob has this sha256; upload it with PUT /blobs first')
  if (blob.size === 0) throw invalid(field, 'the blob is empty')
  return blob
}

import { type Static, Type } from 'typebox'
import { Hex32, Sha256 } from './common.ts'
import { ManualPayload, PollPayload } from './human.ts'

/** Payloads of each challenge type, as posters send them (seed 001's fields where it has them). */
export const HashPayload = Type.Object(
  {
    input: Sha256,
    algorithm: Type.Optional(Type.Union([Type.Literal('sha256'), Type.Literal('sha512'), Type.Literal('sha3-256'), Type.Literal('blake2b512')])),
    chunk_size: Type.Optional(Type.Integer({ minimum: 1024, maximum: 64 * 1024 * 1024 })),
  },
  { title: 'HashPayload', description: 'hash: checksums of a blob, one per chunk (input: the sha256 taskmarket blob put printed)', additionalProperties: false, examples: [{ input: 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9', algorithm: 'sha256', chunk_size: 1048576 }] },
)

/**
 * How big one synthetic job may be: the schema, the server's planner and the worker's executor all check
 * these. `maxWork` bounds matrix_size³ × iterations, the multiply-adds of one job.
 */
export const SYNTHETIC_LIMITS = { maxMatrixSize: 512, maxIterations: 10_000, maxWork: 2e10 } as const

export const SyntheticPayload = Type.Object(
  {
    seed: Type.String({ pattern: '^0x[0-9a-fA-F]{1,64}$' }),
    matrix_size: Type.Integer({ minimum: 1, maximum: SYNTHETIC_LIMITS.maxMatrixSize }),
    iterations: Type.Integer({ minimum: 1, maximum: SYNTHETIC_LIMITS.maxIterations }),
  },
  { title: 'SyntheticPayload', description: 'synthetic: a seeded matrix benchmark (seed 001)', additionalProperties: false, examples: [{ seed: '0x1234', matrix_size: 64, iterations: 10 }] },
)

export const WasmPayload = Type.Object(
  {
    module: Sha256,
    input: Sha256,
    chunk_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 * 1024 * 1024 })),
    memory_limit_mb: Type.Optional(Type.Integer({ minimum: 1, maximum: 512 })),
    time_limit_ms: Type.Optional(Type.Integer({ minimum: 10, maximum: 600_000 })),
  },
  { title: 'WasmPayload', description: 'wasm: the poster’s WebAssembly module run over chunks of an input blob (apps/worker/src/executors/WASM_ABI.md)', additionalProperties: false, examples: [{ module: '3f1a2b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a', input: 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9', chunk_size: 65536, memory_limit_mb: 64, time_limit_ms: 10000 }] },
)

export const RenderingPayload = Type.Object(
  {
    scene: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Inline scene (pathtracer format)' })),
    scene_file: Type.Optional(
      Type.String({ description: 'A blob sha256 holding the scene JSON, or "example:<name>"', maxLength: 200 }),
    ),
    resolution: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,3}x[1-9][0-9]{0,3}$', examples: ['128x128'] })),
    frames: Type.Optional(Type.Integer({ minimum: 1, maximum: 1 })),
    tile_size: Type.Optional(Type.Integer({ minimum: 8, maximum: 512 })),
    samples_per_pixel: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024 })),
  },
  { title: 'RenderingPayload', description: 'rendering: a path-traced image in tiles, assembled into one PNG', additionalProperties: false, examples: [{ scene_file: 'example:cornell', resolution: '128x128', tile_size: 32, samples_per_pixel: 8 }] },
)

export const InferencePayload = Type.Object(
  {
    model_id: Type.String({ minLength: 1, maxLength: 200 }),
    prompt: Type.String({ minLength: 1, maxLength: 100_000 }),
    max_tokens: Type.Optional(Type.Integer({ minimum: 1, maximum: 32_768 })),
    temperature: Type.Optional(Type.Number({ minimum: 0, maximum: 2 })),
  },
  { title: 'InferencePayload', description: 'inference: no stock worker runs it yet', additionalProperties: false, examples: [{ model_id: 'llama-3-8b-instruct', prompt: 'Summarize the plot of Hamlet in one sentence.', max_tokens: 128, temperature: 0 }] },
)

export const TrainingPayload = Type.Object(
  {
    model_architecture: Type.String({ minLength: 1, maxLength: 200 }),
    dataset_url: Type.String({ minLength: 1, maxLength: 2_000 }),
    epochs: Type.Integer({ minimum: 1, maximum: 1_000 }),
    batch_size: Type.Integer({ minimum: 1, maximum: 65_536 }),
  },
  { title: 'TrainingPayload', description: 'training: no stock worker runs it yet', additionalProperties: false, examples: [{ model_architecture: 'resnet18', dataset_url: 'https://example.com/cifar10.tar', epochs: 1, batch_size: 64 }] },
)

export const payloadSchemas = {
  hash: HashPayload,
  synthetic: SyntheticPayload,
  wasm: WasmPayload,
  rendering: RenderingPayload,
  inference: InferencePayload,
  training: TrainingPayload,
  manual: ManualPayload,
  poll: PollPayload,
} as const

export type ChallengeType = keyof typeof payloadSchemas
export const challengeTypes = ['hash', 'synthetic', 'wasm', 'rendering', 'inference', 'training', 'manual', 'poll'] as const satisfies readonly ChallengeType[]

export type HashPayload = Static<typeof HashPayload>
export type SyntheticPayload = Static<typeof SyntheticPayload>
export type WasmPayload = Static<typeof WasmPayload>
export type RenderingPayload = Static<typeof RenderingPayload>

/** Kinds a worker executes by replicated computation (verified by quorum). */
export const computeKinds: readonly ChallengeType[] = ['hash', 'synthetic', 'wasm', 'rendering']
/** Kinds people do in the web app (claimed with a session, not by worker nodes). */
export const humanKinds: readonly ChallengeType[] = ['manual', 'poll']

export const JobIdHex = Hex32

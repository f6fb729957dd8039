import { type ChallengeType, type CreateTaskBody, ESCROW_DECIMALS, MAX_DEADLINE_SECONDS, MIN_DEADLINE_SECONDS, type QuoteRequest, Replication, type TaskMarketError, computeKinds, humanKinds, parseTokens, payloadSchemas } from '@taskmarket/core'
import { perAssignmentUnits } from './cost.ts'
import { type FormErrors, formChecks } from './formChecks.ts'
import { type ManualFormValues, type PollFormValues, type QualificationRow, defaultManualForm, defaultPollForm, manualPayload, pollPayload, qualificationsOf } from './humanForm.ts'
import { type RequirementsFormValues, defaultRequirementsForm, requirementsOf } from './requirementsForm.ts'

export type { FormErrors }

/** What the create-task form holds: strings as typed, files as picked. */
export type TaskFormValues = {
  kind: ChallengeType
  reward: string
  replicas: string
  quorum: string
  /** Hours until the deadline; for manual tasks and polls, the task's lifetime. */
  deadlineHours: string
  minTrust: string
  hash: { mode: 'text' | 'file'; text: string; file: File | null; algorithm: 'sha256' | 'sha512' | 'sha3-256' | 'blake2b512'; chunkKb: string }
  synthetic: { seed: string; matrixSize: string; iterations: string }
  wasm: { module: File | null; input: File | null; chunkKb: string; memoryMb: string; timeMs: string }
  rendering: { scene: string; sceneFile: File | null; width: string; height: string; tileSize: string; samples: string }
  inference: { modelId: string; prompt: string; maxTokens: string; temperature: string }
  training: { architecture: string; datasetUrl: string; epochs: string; batchSize: string }
  manual: ManualFormValues
  poll: PollFormValues
  /** Who may take a manual task or answer a poll. */
  qualifications: QualificationRow[]
  /** What a compute task asks of its nodes (resource type, regions, price cap, uptime floor). */
  requirements: RequirementsFormValues
}

/** A file (or typed text) to upload as a blob before posting; its sha256 goes into `field`. */
export type Upload = { field: string; data: File | string; contentType: string }

export const exampleScenes = [
  { value: 'example:cornell', label: 'Cornell box' },
  { value: 'example:spheres', label: 'Spheres' },
]

export function defaultTaskForm(kind: ChallengeType = 'rendering'): TaskFormValues {
  const compute = computeKinds.includes(kind)
  return {
    kind,
    reward: '10',
    replicas: compute ? '3' : '1',
    quorum: compute ? '2' : '1',
    deadlineHours: '24',
    minTrust: '0',
    hash: { mode: 'text', text: '', file: null, algorithm: 'sha256', chunkKb: '1024' },
    synthetic: { seed: '0x2a', matrixSize: '64', iterations: '100' },
    wasm: { module: null, input: null, chunkKb: '1024', memoryMb: '64', timeMs: '10000' },
    rendering: { scene: 'example:cornell', sceneFile: null, width: '128', height: '128', tileSize: '32', samples: '16' },
    inference: { modelId: '', prompt: '', maxTokens: '256', temperature: '0.7' },
    training: { architecture: '', datasetUrl: '', epochs: '1', batchSize: '32' },
    manual: defaultManualForm(),
    poll: defaultPollForm(),
    qualifications: [],
    requirements: defaultRequirementsForm(),
  }
}

/** The bounds the shared wire schema puts on a payload field, so the form never drifts from the API. */
export function bounds(kind: ChallengeType, prop: string): { min?: number; max?: number } {
  const schema = (payloadSchemas[kind] as { properties: Record<string, { minimum?: number; maximum?: number }> }).properties[prop]
  return { min: schema?.minimum, max: schema?.maximum }
}

const replicationBounds = (prop: string) => {
  const s = (Replication as unknown as { properties: Record<string, { minimum: number; maximum: number }> }).properties[prop]!
  return { min: s.minimum, max: s.maximum }
}

const PLACEHOLDER_HASH = '0'.repeat(64)

/**
 * Checks the form and builds the request body: every problem is reported under the field key the API
 * uses too ("reward", "payload.resolution"), so server errors land next to the same input.
 * @example validateTaskForm(defaultTaskForm('synthetic'), Date.now()).errors // {}
 */
export function validateTaskForm(v: TaskFormValues, nowMs: number): { errors: FormErrors; body?: CreateTaskBody; uploads: Upload[] } {
  const { errors, body, uploads } = buildTaskBody(v, nowMs)
  return body && Object.keys(errors).length === 0 ? { errors, body, uploads } : { errors, uploads }
}

/** Problems that do not stop a quote: it takes no deadline, and quotes without a reward. */
const UNQUOTED = new Set(['reward', 'deadline'])
const quotable = (errors: FormErrors) => Object.keys(errors).every((k) => UNQUOTED.has(k))

/**
 * The POST /tasks/quote body of what the form would post: the same task as validateTaskForm builds, without
 * its deadline, and without its reward while that is not a valid amount. No body for a kind the market does
 * not quote (only compute kinds) or while any other field is wrong.
 * @example quoteRequestOf(defaultTaskForm('synthetic')).body?.replication // { target_results: 3, min_quorum: 2 }
 */
export function quoteRequestOf(v: TaskFormValues): { errors: FormErrors; body?: QuoteRequest; uploads: Upload[] } {
  if (!computeKinds.includes(v.kind)) return { errors: {}, uploads: [] }
  const { errors, body, uploads } = buildTaskBody(v, 0)
  if (!body || !quotable(errors)) return { errors, uploads }
  const { challenge_type, payload, reward, replication, min_trust_level, requirements } = body
  const quote: QuoteRequest = {
    challenge_type,
    payload,
    ...(errors.reward ? {} : { reward }),
    ...(replication ? { replication } : {}),
    ...(min_trust_level ? { min_trust_level } : {}),
    ...(requirements ? { requirements } : {}),
  }
  return { errors, body: quote, uploads }
}

/** The body the form's values make, built even when the reward or the deadline is wrong (a quote needs neither). */
function buildTaskBody(v: TaskFormValues, nowMs: number): { errors: FormErrors; body?: CreateTaskBody; uploads: Upload[] } {
  const errors: FormErrors = {}
  const uploads: Upload[] = []
  const { int, required, schema } = formChecks(errors)
  const human = humanKinds.includes(v.kind)

  try {
    parseTokens(v.reward, 'reward', ESCROW_DECIMALS)
  } catch (e) {
    errors.reward = v.reward.trim() === '' ? 'Enter a reward' : rewardReason(e)
  }
  // Replication and trust levels concern worker nodes; people qualify through `qualifications` instead.
  const replicas = human ? 1 : int('replication.target_results', v.replicas, replicationBounds('target_results'), 'Replicas')
  const quorum = human ? 1 : int('replication.min_quorum', v.quorum, replicationBounds('min_quorum'), 'Quorum')
  if (replicas !== undefined && quorum !== undefined && quorum > replicas) errors['replication.min_quorum'] = 'Quorum cannot be more than the replicas'
  const hours = Number(v.deadlineHours)
  if (!v.deadlineHours.trim() || !Number.isFinite(hours)) errors.deadline = 'Enter the hours until the deadline'
  else if (hours * 3600 < MIN_DEADLINE_SECONDS) errors.deadline = `Give the workers at least ${MIN_DEADLINE_SECONDS} seconds`
  else if (hours * 3600 > MAX_DEADLINE_SECONDS) errors.deadline = `At most ${(MAX_DEADLINE_SECONDS / 3600).toLocaleString()} hours (${MAX_DEADLINE_SECONDS / 86_400} days)`
  const minTrust = human ? 0 : int('min_trust_level', v.minTrust, { min: 0, max: 3 }, 'Trust level')
  const qualifications = human ? qualificationsOf(v.qualifications, errors) : undefined
  // Only the market's compute kinds are matched to nodes by their offers.
  const requirements = computeKinds.includes(v.kind) ? requirementsOf(v.requirements, errors) : undefined

  let payload: Record<string, unknown> = {}
  switch (v.kind) {
    case 'hash': {
      const h = v.hash
      if (h.mode === 'text') {
        if (!h.text) errors['payload.input'] = 'Type or paste the data to hash'
        else uploads.push({ field: 'payload.input', data: h.text, contentType: 'text/plain' })
      } else if (!h.file) errors['payload.input'] = 'Choose a file to hash'
      else if (h.file.size === 0) errors['payload.input'] = 'The file is empty'
      else uploads.push({ field: 'payload.input', data: h.file, contentType: h.file.type || 'application/octet-stream' })
      payload.input = PLACEHOLDER_HASH
      payload.algorithm = h.algorithm
      const kb = int('payload.chunk_size', h.chunkKb, { min: 1, max: (bounds('hash', 'chunk_size').max ?? 0) / 1024 }, 'Chunk size')
      if (kb !== undefined) payload.chunk_size = kb * 1024
      break
    }
    case 'synthetic': {
      const s = v.synthetic
      if (!/^0x[0-9a-fA-F]{1,64}$/.test(s.seed.trim())) errors['payload.seed'] = 'A hex seed such as 0x2a (1 to 64 hex digits)'
      payload.seed = s.seed.trim()
      payload.matrix_size = int('payload.matrix_size', s.matrixSize, bounds('synthetic', 'matrix_size'), 'Matrix size')
      payload.iterations = int('payload.iterations', s.iterations, bounds('synthetic', 'iterations'), 'Iterations')
      break
    }
    case 'wasm': {
      const w = v.wasm
      if (!w.module) errors['payload.module'] = 'Choose the WebAssembly module (.wasm)'
      else if (!w.module.name.endsWith('.wasm') && w.module.type !== 'application/wasm') errors['payload.module'] = 'Choose a .wasm file'
      else uploads.push({ field: 'payload.module', data: w.module, contentType: 'application/wasm' })
      if (!w.input) errors['payload.input'] = 'Choose the input file the module processes'
      else if (w.input.size === 0) errors['payload.input'] = 'The input file is empty'
      else uploads.push({ field: 'payload.input', data: w.input, contentType: w.input.type || 'application/octet-stream' })
      payload.module = PLACEHOLDER_HASH
      payload.input = PLACEHOLDER_HASH
      const kb = int('payload.chunk_size', w.chunkKb, { min: 1, max: (bounds('wasm', 'chunk_size').max ?? 0) / 1024 }, 'Chunk size')
      if (kb !== undefined) payload.chunk_size = kb * 1024
      payload.memory_limit_mb = int('payload.memory_limit_mb', w.memoryMb, bounds('wasm', 'memory_limit_mb'), 'Memory limit')
      payload.time_limit_ms = int('payload.time_limit_ms', w.timeMs, bounds('wasm', 'time_limit_ms'), 'Time limit')
      break
    }
    case 'rendering': {
      const r = v.rendering
      if (r.scene === 'upload') {
        if (!r.sceneFile) errors['payload.scene_file'] = 'Choose a scene file (JSON)'
        else uploads.push({ field: 'payload.scene_file', data: r.sceneFile, contentType: 'application/json' })
        payload.scene_file = PLACEHOLDER_HASH
      } else payload.scene_file = r.scene
      const width = int('payload.resolution', r.width, { min: 1, max: 4096 }, 'Width')
      const height = errors['payload.resolution'] ? undefined : int('payload.resolution', r.height, { min: 1, max: 4096 }, 'Height')
      if (width && height) payload.resolution = `${width}x${height}`
      payload.tile_size = int('payload.tile_size', r.tileSize, bounds('rendering', 'tile_size'), 'Tile size')
      payload.samples_per_pixel = int('payload.samples_per_pixel', r.samples, bounds('rendering', 'samples_per_pixel'), 'Samples per pixel')
      break
    }
    case 'inference': {
      const i = v.inference
      payload.model_id = required('payload.model_id', i.modelId, 'Model', 200)
      payload.prompt = required('payload.prompt', i.prompt, 'Prompt', 100_000)
      payload.max_tokens = int('payload.max_tokens', i.maxTokens, bounds('inference', 'max_tokens'), 'Max tokens')
      const t = Number(i.temperature)
      if (i.temperature.trim() === '' || !Number.isFinite(t) || t < 0 || t > 2) errors['payload.temperature'] = 'Temperature is a number from 0 to 2'
      else payload.temperature = t
      break
    }
    case 'training': {
      const t = v.training
      payload.model_architecture = required('payload.model_architecture', t.architecture, 'Architecture', 200)
      payload.dataset_url = required('payload.dataset_url', t.datasetUrl, 'Dataset URL', 2000)
      payload.epochs = int('payload.epochs', t.epochs, bounds('training', 'epochs'), 'Epochs')
      payload.batch_size = int('payload.batch_size', t.batchSize, bounds('training', 'batch_size'), 'Batch size')
      break
    }
    case 'manual': {
      payload = manualPayload(v.manual, errors)
      const n = payload.assignments as number | undefined
      if (n && !errors.reward && perAssignmentUnits(v.reward, n) === 0n) errors.reward = `Too small to pay ${n} assignments (at most 9 decimals each)`
      break
    }
    case 'poll':
      payload = pollPayload(v.poll, errors)
      break
  }

  // The shared wire schema has the last word on the payload.
  if (quotable(errors)) schema(payloadSchemas[v.kind], payload, 'payload')
  if (!quotable(errors)) return { errors, uploads }
  const body: CreateTaskBody = {
    challenge_type: v.kind,
    payload,
    reward: v.reward.trim(),
    deadline: Math.floor(nowMs / 1000 + hours * 3600),
    ...(human ? {} : { replication: { target_results: replicas!, min_quorum: quorum! } }),
    ...(minTrust ? { min_trust_level: minTrust } : {}),
    ...(qualifications ? { qualifications: qualifications as CreateTaskBody['qualifications'] } : {}),
    ...(requirements ? { requirements } : {}),
  }
  return { errors, body, uploads }
}

function rewardReason(e: unknown): string {
  const reason = String((e as TaskMarketError).details?.reason ?? (e as Error).message)
  if (/decimals/.test(reason) && /at most 9/.test(reason)) return 'At most 9 decimals (the escrow counts in nano-tokens)'
  if (/greater than zero/.test(reason)) return 'The reward must be more than zero'
  return 'Enter an amount such as 10 or 2.5'
}

/** Puts each uploaded blob's sha256 where its placeholder was. */
export function withUploads<B extends { payload: Record<string, unknown> }>(body: B, hashes: Record<string, string>): B {
  const payload = { ...body.payload }
  for (const [field, hash] of Object.entries(hashes)) payload[field.replace(/^payload\./, '')] = hash
  return { ...body, payload }
}

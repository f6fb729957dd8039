import { computeKinds } from '@taskmarket/core'
import { describe, expect, it } from 'vitest'
import { defaultTaskForm, quoteRequestOf, validateTaskForm, withUploads } from './taskForm.ts'

const now = 1_700_000_000_000

describe('task form validation', () => {
  it('accepts the defaults of the synthetic and rendering kinds and builds the API body', () => {
    const r = validateTaskForm(defaultTaskForm('rendering'), now)
    expect(r.errors).toEqual({})
    expect(r.body).toEqual({
      challenge_type: 'rendering',
      payload: { scene_file: 'example:cornell', resolution: '128x128', tile_size: 32, samples_per_pixel: 16 },
      reward: '10',
      deadline: now / 1000 + 24 * 3600,
      replication: { target_results: 3, min_quorum: 2 },
    })
    expect(validateTaskForm(defaultTaskForm('synthetic'), now).body?.payload).toEqual({ seed: '0x2a', matrix_size: 64, iterations: 100 })
  })

  it('names each bad field with the key the API uses', () => {
    const f = defaultTaskForm('synthetic')
    f.reward = '1.0000000001'
    f.replicas = '2'
    f.quorum = '3'
    f.deadlineHours = '0.005'
    f.synthetic = { seed: 'xyz', matrixSize: '0', iterations: '1.5' }
    const { errors, body } = validateTaskForm(f, now)
    expect(body).toBeUndefined()
    expect(errors).toEqual({
      reward: 'At most 9 decimals (the escrow counts in nano-tokens)',
      'replication.min_quorum': 'Quorum cannot be more than the replicas',
      deadline: 'Give the workers at least 30 seconds',
      'payload.seed': 'A hex seed such as 0x2a (1 to 64 hex digits)',
      'payload.matrix_size': 'Matrix size must be at least 1',
      'payload.iterations': 'Iterations must be a whole number',
    })
  })

  it('takes the bounds from the shared wire schema', () => {
    const f = defaultTaskForm('synthetic')
    f.synthetic.matrixSize = '513'
    expect(validateTaskForm(f, now).errors['payload.matrix_size']).toBe('Matrix size must be at most 512')
    const r = defaultTaskForm('rendering')
    r.rendering.samples = '2000'
    r.rendering.width = '5000'
    expect(validateTaskForm(r, now).errors).toMatchObject({ 'payload.samples_per_pixel': 'Samples per pixel must be at most 1,024', 'payload.resolution': 'Width must be at most 4,096' })
  })

  it('refuses empty and zero rewards and missing inputs', () => {
    const f = defaultTaskForm('hash')
    f.reward = ''
    expect(validateTaskForm(f, now).errors).toMatchObject({ reward: 'Enter a reward', 'payload.input': 'Type or paste the data to hash' })
    f.reward = '0'
    expect(validateTaskForm(f, now).errors.reward).toBe('The reward must be more than zero')
    const w = defaultTaskForm('wasm')
    expect(validateTaskForm(w, now).errors).toMatchObject({ 'payload.module': expect.stringContaining('.wasm'), 'payload.input': expect.any(String) })
  })

  it('lists the uploads and puts their hashes in the payload', () => {
    const f = defaultTaskForm('hash')
    f.hash.text = 'hello world'
    f.hash.chunkKb = '4'
    const { body, uploads } = validateTaskForm(f, now)
    expect(uploads).toEqual([{ field: 'payload.input', data: 'hello world', contentType: 'text/plain' }])
    const posted = withUploads(body!, { 'payload.input': 'ab'.repeat(32) })
    expect(posted.payload).toEqual({ input: 'ab'.repeat(32), algorithm: 'sha256', chunk_size: 4096 })
  })

  it('defaults to 3 replicas and a quorum of 2 for compute kinds, 1 otherwise', () => {
    for (const kind of computeKinds) expect(defaultTaskForm(kind)).toMatchObject({ replicas: '3', quorum: '2' })
    expect(defaultTaskForm('inference')).toMatchObject({ replicas: '1', quorum: '1' })
    const i = defaultTaskForm('inference')
    i.inference.temperature = '3'
    expect(validateTaskForm(i, now).errors).toMatchObject({ 'payload.model_id': 'Model is required', 'payload.prompt': 'Prompt is required', 'payload.temperature': 'Temperature is a number from 0 to 2' })
  })
})

describe('quote request', () => {
  it('is the body the form would post, without the deadline, and without a reward that is not valid yet', () => {
    const f = defaultTaskForm('synthetic')
    f.minTrust = '1'
    f.requirements = { resourceType: 'cpu', regions: 'eu-west', maxPrice: '', minUptime: '', minPower: '' }
    const posted = validateTaskForm(f, now).body!
    expect(posted.requirements).toEqual({ resource_type: 'cpu', regions: ['eu-west'] })
    const { deadline: _, ...rest } = posted
    expect(quoteRequestOf(f).body).toEqual(rest)
    f.reward = '1.'
    f.deadlineHours = ''
    expect(validateTaskForm(f, now).body).toBeUndefined()
    const { reward: __, ...unpriced } = rest
    expect(quoteRequestOf(f).body).toEqual(unpriced)
  })

  it('is not made while another field is wrong, nor for kinds the market does not quote', () => {
    const f = defaultTaskForm('synthetic')
    f.synthetic.matrixSize = '0'
    const q = quoteRequestOf(f)
    expect(q.body).toBeUndefined()
    expect(q.errors).toEqual({ 'payload.matrix_size': 'Matrix size must be at least 1' })
    const r = defaultTaskForm('rendering')
    r.requirements.minUptime = '120'
    expect(quoteRequestOf(r).body).toBeUndefined()
    expect(quoteRequestOf(defaultTaskForm('manual')).body).toBeUndefined()
    expect(quoteRequestOf(defaultTaskForm('inference')).body).toBeUndefined()
  })

  it('sends requirements for compute kinds only', () => {
    const i = defaultTaskForm('inference')
    i.inference = { ...i.inference, modelId: 'm', prompt: 'p' }
    i.requirements.regions = 'eu-west'
    expect(validateTaskForm(i, now).body?.requirements).toBeUndefined()
  })
})

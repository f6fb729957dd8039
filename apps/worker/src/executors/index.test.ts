import { describe, expect, it } from 'vitest'
import { createExecutors, executorFor, executors } from './index.ts'
import { createTestContext } from './testing/testContext.ts'

describe('the executor registry', () => {
  it('has one executor per built-in kind, under its own kind', () => {
    expect(Object.keys(executors).sort()).toEqual(['hash', 'rendering', 'synthetic', 'wasm'])
    for (const [kind, executor] of Object.entries(executors)) expect(executor.kind).toBe(kind)
  })

  it('applies the limits it is given', () => {
    const strict = createExecutors({ synthetic: { maxMatrixSize: 64 } })
    expect(() => strict.synthetic.validate({ seed: '0x1', matrix_size: 65, iterations: 1 })).toThrow(/matrix_size/)
    expect(() => executors.synthetic.validate({ seed: '0x1', matrix_size: 65, iterations: 1 })).not.toThrow()
  })

  it('refuses an unknown kind, naming the field', () => {
    expect(() => executorFor(executors, 'inference')).toThrow(expect.objectContaining({ code: 'UNKNOWN_KIND', field: 'kind' }))
    expect(() => executorFor(executors, 'toString')).toThrow(expect.objectContaining({ code: 'UNKNOWN_KIND' }))
  })

  it('runs a job through the registry', async () => {
    const t = createTestContext()
    const job = { taskId: 't', jobId: 'j', kind: 'hash', payload: { blob: t.put('abc'), offset: 0, length: 3, algorithm: 'sha256' } }
    const out = await executorFor(executors, job.kind).run(job, t.ctx)
    expect(JSON.parse(new TextDecoder().decode(out.output)).digest).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })
})

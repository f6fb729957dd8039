import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { matrixHash, seededMatrices, seedValue, syntheticExecutor } from './syntheticExecutor.ts'
import { createTestContext } from './testing/testContext.ts'
import { ExecutorError, type JobOutput } from './types.ts'
import { splitmix64, xoshiro128ss } from './xoshiro128.ts'

const job = (payload: unknown) => ({ taskId: 'task-1', jobId: 'job-1', kind: 'synthetic', payload })
const json = (output: JobOutput) => JSON.parse(new TextDecoder().decode(output.output))

describe('the seeded generator', () => {
  it('matches the reference C code of splitmix64 and xoshiro128**', () => {
    const sm = splitmix64(1234567n)
    expect([sm(), sm(), sm()]).toEqual([6457827717110365317n, 3203168211198807973n, 9817491932198370423n])
    const next = xoshiro128ss(1234567n)
    const outputs = Array.from({ length: 8 }, () => next())
    // xoshiro128starstar.c seeded with the two splitmix64 outputs above, low word first
    expect(outputs).toEqual([1967786208, 270031234, 1115494691, 824886977, 1639868524, 2161081248, 2838648034, 3793284430])
  })
})

describe('syntheticExecutor', () => {
  it('multiplies a 2×2 matrix exactly as by hand, modulo 2^32', async () => {
    // seed 0x12d687 = 1234567: A and B are the first eight outputs above, row-major
    const [a00, a01, a10, a11] = [1967786208n, 270031234n, 1115494691n, 824886977n]
    const [b00, b01, b10, b11] = [1639868524n, 2161081248n, 2838648034n, 3793284430n]
    const product = [a00 * b00 + a01 * b10, a00 * b01 + a01 * b11, a10 * b00 + a11 * b10, a10 * b01 + a11 * b11]
    const expected = Int32Array.from(product, (v) => Number(BigInt.asIntN(32, v)))

    const out = await syntheticExecutor().run(job({ seed: '0x12d687', matrix_size: 2, iterations: 1 }), createTestContext().ctx)
    expect(out.contentType).toBe('application/json')
    expect(json(out)).toEqual({ result_hash: matrixHash(expected), matrix_size: 2, iterations: 1, ops: 16 })
  })

  it('computes A × B^iterations, as an independent BigInt computation does', async () => {
    const n = 5
    const iterations = 4
    const { a, b } = seededMatrices(0xbeefn, n)
    let m = Array.from(a, (v) => BigInt(v >>> 0))
    const bb = Array.from(b, (v) => BigInt(v >>> 0))
    for (let it = 0; it < iterations; it++) {
      m = m.map((_, idx) => {
        const [i, j] = [Math.floor(idx / n), idx % n]
        let sum = 0n
        for (let k = 0; k < n; k++) sum += m[i * n + k] * bb[k * n + j]
        return BigInt.asUintN(32, sum)
      })
    }
    const bytes = Buffer.alloc(n * n * 4)
    m.forEach((v, i) => bytes.writeUInt32LE(Number(v), i * 4))
    const out = await syntheticExecutor().run(job({ seed: '0xBEEF', matrix_size: n, iterations }), createTestContext().ctx)
    expect(json(out).result_hash).toBe(createHash('sha256').update(bytes).digest('hex'))
  })

  it('gives the same bytes every run, and pins the algorithm (a change would split quorums between versions)', async () => {
    const payload = { seed: '0x1234', matrix_size: 16, iterations: 10 }
    const first = await syntheticExecutor().run(job(payload), createTestContext().ctx)
    const second = await syntheticExecutor().run(job(payload), createTestContext().ctx)
    expect(second.output).toEqual(first.output)
    expect(new TextDecoder().decode(first.output)).toBe(
      '{"result_hash":"fce2eb586ec166687603317e1d21dc110f5e41ab118d46942053cc46f84a72c3","matrix_size":16,"iterations":10,"ops":81920}',
    )
    const other = await syntheticExecutor().run(job({ ...payload, seed: '0x1235' }), createTestContext().ctx)
    expect(json(other).result_hash).not.toBe(json(first).result_hash)
  })

  it('reads seeds of up to 256 bits as numbers, folded to 64 bits', async () => {
    expect(seedValue('0x1234')).toBe(0x1234n)
    expect(seedValue('0x0001234')).toBe(0x1234n)
    expect(seedValue('0xffffffffffffffff')).toBe(2n ** 64n - 1n)
    expect(seedValue(`0x${'00000000000000ff'.repeat(3)}0000000000001234`)).toBe(0xffn ^ 0xffn ^ 0xffn ^ 0x1234n)
    const long = { seed: `0x${'ab'.repeat(32)}`, matrix_size: 4, iterations: 2 }
    const out = await syntheticExecutor().run(job(long), createTestContext().ctx)
    expect(json(out).result_hash).toMatch(/^[0-9a-f]{64}$/)
  })

  it('reports progress, rising to 1', async () => {
    const t = createTestContext()
    await syntheticExecutor().run(job({ seed: '0x1', matrix_size: 8, iterations: 50 }), t.ctx)
    const fractions = t.reports.map((r) => r.fraction)
    expect(fractions.at(-1)).toBe(1)
    expect(fractions).toEqual([...fractions].sort((x, y) => x - y))
    expect(t.reports.at(-1)?.message).toBe('iteration 50 of 50')
  })

  it('keeps the event loop turning (heartbeats) while it computes', async () => {
    let ticks = 0
    const heartbeat = setInterval(() => ticks++, 5)
    const started = performance.now()
    await syntheticExecutor({ sliceMs: 10 }).run(job({ seed: '0x2', matrix_size: 128, iterations: 40 }), createTestContext().ctx)
    clearInterval(heartbeat)
    const elapsed = performance.now() - started
    expect(ticks).toBeGreaterThanOrEqual(Math.floor(elapsed / 50))
  })

  it('stops promptly when the signal is aborted', async () => {
    const t = createTestContext()
    const run = syntheticExecutor().run(job({ seed: '0x3', matrix_size: 512, iterations: 100 }), t.ctx)
    const started = performance.now()
    setTimeout(() => t.controller.abort(new Error('lease lost')), 100)
    await expect(run).rejects.toMatchObject({ code: 'ABORTED', retryable: true })
    expect(performance.now() - started).toBeLessThan(2_000)
  })

  it.each([
    [{ matrix_size: 2, iterations: 1 }, 'seed'],
    [{ seed: 1234, matrix_size: 2, iterations: 1 }, 'seed'],
    [{ seed: '1234', matrix_size: 2, iterations: 1 }, 'seed'],
    [{ seed: '0x', matrix_size: 2, iterations: 1 }, 'seed'],
    [{ seed: `0x${'f'.repeat(65)}`, matrix_size: 2, iterations: 1 }, 'seed'],
    [{ seed: '0xg', matrix_size: 2, iterations: 1 }, 'seed'],
    [{ seed: '0x1', matrix_size: 0, iterations: 1 }, 'matrix_size'],
    [{ seed: '0x1', matrix_size: 513, iterations: 1 }, 'matrix_size'],
    [{ seed: '0x1', matrix_size: '8', iterations: 1 }, 'matrix_size'],
    [{ seed: '0x1', matrix_size: 8, iterations: 0 }, 'iterations'],
    [{ seed: '0x1', matrix_size: 8, iterations: 10_001 }, 'iterations'],
    [{ seed: '0x1', matrix_size: 512, iterations: 150 }, 'iterations'], // 512³ × 150 > 2e10
    [null, 'payload'],
  ])('names the bad field of %j: %s', (payload, field) => {
    let error: unknown
    try {
      syntheticExecutor().validate(payload)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ExecutorError)
    expect(error).toMatchObject({ code: 'INVALID_PAYLOAD', field })
    expect((error as Error).message).toContain(field)
  })

  it('accepts the largest job within the work cap', () => {
    expect(() => syntheticExecutor().validate({ seed: '0x1', matrix_size: 512, iterations: 149 })).not.toThrow()
  })
})

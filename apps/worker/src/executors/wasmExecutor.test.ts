import { describe, expect, it } from 'vitest'
import { createTestContext } from './testing/testContext.ts'
import {
  declaredMemoryModule, endlessLoopModule, forbiddenImportModule, growUntilRefusedModule, lyingOutputModule,
  memoryBombModule, sumModule, tableBombModule, trapModule, uppercaseModule,
} from './testing/testModules.ts'
import { buildModule, i32 } from './testing/wasmBuilder.ts'
import { ExecutorError } from './types.ts'
import { wasmExecutor } from './wasmExecutor.ts'

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)

/** Stores the module and the input, and runs a `wasm` job over input[offset, offset + length). */
async function runModule(module: Uint8Array, input: string, extra: Record<string, unknown> = {}, t = createTestContext()) {
  const payload = { module: t.put(module), input: t.put(input), offset: 0, length: input.length, ...extra }
  return wasmExecutor().run({ taskId: 'task-1', jobId: 'job-1', kind: 'wasm', payload }, t.ctx)
}

describe('wasmExecutor: a good module', () => {
  it('returns what run() wrote, for the requested range of the input', async () => {
    const t = createTestContext()
    const out = await runModule(uppercaseModule(), 'skip this: Hello, World! {az}', { offset: 11, length: 18 }, t)
    expect(text(out.output)).toBe('HELLO, WORLD! {AZ}')
    expect(out.contentType).toBe('application/octet-stream')
    expect(out.metrics).toMatchObject({ input_bytes: 18, output_bytes: 18, memory_pages: 1 })
  })

  it('gives the same bytes every run', async () => {
    const input = 'determinism '.repeat(10_000)
    const first = await runModule(uppercaseModule(), input)
    const second = await runModule(uppercaseModule(), input)
    expect(Buffer.from(second.output).equals(first.output)).toBe(true)
    expect(text(first.output) === input.toUpperCase()).toBe(true)
  })

  it('passes env.progress calls on as progress', async () => {
    const t = createTestContext()
    await runModule(uppercaseModule(), 'progress', {}, t)
    expect(t.reports.map((r) => r.fraction)).toEqual([0, 1])
  })

  it('runs a module that defines and exports its own memory', async () => {
    const input = 'any bytes at all'
    const out = await runModule(sumModule(), input)
    const sum = [...new TextEncoder().encode(input)].reduce((a, b) => a + b, 0)
    expect(Buffer.from(out.output).readUInt32LE(0)).toBe(sum)
  })

  it('runs over an empty input', async () => {
    expect(text((await runModule(uppercaseModule(), '')).output)).toBe('')
  })
})

describe('wasmExecutor: the sandbox', () => {
  it('kills an endless loop at its time limit', async () => {
    const started = performance.now()
    await expect(runModule(endlessLoopModule(), 'x', { time_limit_ms: 300 })).rejects.toMatchObject({
      code: 'TIME_LIMIT',
      retryable: false,
    })
    // the limit starts with the run; start-up and termination add tens of ms
    expect(performance.now() - started).toBeLessThan(300 + 2_500)
  })

  it('stops an endless loop promptly when the signal is aborted', async () => {
    const t = createTestContext()
    const run = runModule(endlessLoopModule(), 'x', { time_limit_ms: 600_000 }, t)
    const started = performance.now()
    setTimeout(() => t.controller.abort(new Error('worker stopping')), 200)
    await expect(run).rejects.toMatchObject({ code: 'ABORTED' })
    expect(performance.now() - started).toBeLessThan(2_000)
  })

  it('caps an imported memory at the limit: memory.grow returns -1 there', async () => {
    const out = await runModule(growUntilRefusedModule(), 'x', { memory_limit_mb: 2 })
    expect(Buffer.from(out.output).readUInt32LE(0)).toBe(32) // 2 MB = 32 pages of 64 KiB
  })

  it('caps a memory the module defines without a maximum, by writing the limit into its binary', async () => {
    const out = await runModule(growUntilRefusedModule(true), 'x', { memory_limit_mb: 3 })
    expect(Buffer.from(out.output).readUInt32LE(0)).toBe(48)
  })

  it('refuses a memory bomb: growing past the cap fails and the module traps', async () => {
    await expect(runModule(memoryBombModule(), 'x')).rejects.toMatchObject({ code: 'WASM_TRAP', field: 'module' })
  })

  it.each([
    ['an imported memory starting above the limit', declaredMemoryModule({ min: 2000 }), /starts at 2000 pages/],
    ['an imported memory whose maximum is above the limit', declaredMemoryModule({ min: 1, max: 65536 }), /may grow to 65536 pages/],
    ['a defined memory whose maximum is above the limit', declaredMemoryModule({ min: 1, max: 1025 }, false), /may grow to 1025/],
  ])('refuses %s before running anything', async (_, module, message) => {
    const t = createTestContext()
    const run = runModule(module, 'x', {}, t)
    await expect(run).rejects.toMatchObject({ code: 'MEMORY_LIMIT', field: 'module', retryable: false })
    await expect(run).rejects.toThrow(message)
    expect(t.fetches).toHaveLength(1) // the module only: refused before the input was even fetched
  })

  it('refuses a forbidden import, naming it', async () => {
    const run = runModule(forbiddenImportModule(), 'x')
    await expect(run).rejects.toMatchObject({ code: 'FORBIDDEN_IMPORT', field: 'module' })
    await expect(run).rejects.toThrow(/wasi_snapshot_preview1\.fd_write/)
  })

  it('survives a table bomb: tables are capped too (V8 would abort the process past the heap limit)', async () => {
    const out = await runModule(tableBombModule(), 'x')
    expect(out.output).toHaveLength(0)
  })

  it('reports a trap', async () => {
    await expect(runModule(trapModule(), 'x')).rejects.toMatchObject({ code: 'WASM_TRAP', message: /unreachable/ })
  })

  it('refuses an output outside memory', async () => {
    await expect(runModule(lyingOutputModule(), 'x')).rejects.toMatchObject({ code: 'WASM_INVALID' })
  })

  it.each([
    ['bytes that are not WebAssembly', new TextEncoder().encode('#!/bin/sh\nrm -rf /'), /\\0asm/],
    ['a module without run', buildModule({ memory: { min: 1, export: 'memory' }, functions: [{ export: 'alloc', params: ['i32'], results: ['i32'], body: i32(0) }] }), /export a function run/],
    ['a module with a mistyped alloc', buildModule({ memory: { min: 1, export: 'memory' }, functions: [{ export: 'alloc', params: ['i64'], results: ['i32'], body: i32(0) }, { export: 'run', params: ['i32', 'i32'], results: ['i32'], body: i32(0) }] }), /alloc must be \(i32\) -> i32, not \(i64\) -> i32/],
    ['a module without memory', buildModule({ functions: [{ export: 'alloc', params: ['i32'], results: ['i32'], body: i32(0) }, { export: 'run', params: ['i32', 'i32'], results: ['i32'], body: i32(0) }] }), /0 memories/],
  ])('refuses %s', async (_, module, message) => {
    const run = runModule(module, 'x')
    await expect(run).rejects.toMatchObject({ code: 'WASM_INVALID', field: 'module' })
    await expect(run).rejects.toThrow(message)
  })

  it('refuses a module blob whose bytes do not match its hash', async () => {
    const t = createTestContext()
    const module = t.put(uppercaseModule())
    const input = t.put('x')
    const ctx = { ...t.ctx, fetchBlob: async () => trapModule() }
    const run = wasmExecutor().run({ taskId: 't', jobId: 'j', kind: 'wasm', payload: { module, input, offset: 0, length: 1 } }, ctx)
    await expect(run).rejects.toMatchObject({ code: 'BLOB_UNAVAILABLE', field: 'module' })
  })
})

describe('wasmExecutor: validation', () => {
  const hash = 'c'.repeat(64)
  const good = { module: hash, input: hash, offset: 0, length: 10 }
  it.each([
    [{ ...good, module: 'nope' }, 'module'],
    [{ ...good, input: undefined }, 'input'],
    [{ ...good, offset: -5 }, 'offset'],
    [{ ...good, length: 'ten' }, 'length'],
    [{ ...good, length: 65 * 2 ** 20 }, 'length'], // more than the 64 MB memory
    [{ ...good, memory_limit_mb: 0 }, 'memory_limit_mb'],
    [{ ...good, memory_limit_mb: 513 }, 'memory_limit_mb'],
    [{ ...good, time_limit_ms: 0 }, 'time_limit_ms'],
    [{ ...good, time_limit_ms: 600_001 }, 'time_limit_ms'],
    [[good], 'payload'],
  ])('names the bad field of %j: %s', (payload, field) => {
    let error: unknown
    try {
      wasmExecutor().validate(payload)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ExecutorError)
    expect(error).toMatchObject({ code: 'INVALID_PAYLOAD', field })
    expect((error as Error).message).toContain(field)
  })

  it('accepts a payload with the defaults left out', () => {
    expect(() => wasmExecutor().validate(good)).not.toThrow()
  })
})

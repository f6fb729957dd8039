import { describe, expect, it } from 'vitest'
import { capWasmLimits } from './capWasmLimits.ts'
import { checkWasmAbi, maxTableElements } from './checkWasmAbi.ts'
import { inspectWasmModule } from './inspectWasmModule.ts'
import { growUntilRefusedModule, tableBombModule, uppercaseModule } from './testing/testModules.ts'
import { buildModule, i32 } from './testing/wasmBuilder.ts'

describe('inspectWasmModule', () => {
  it('reads imports with their limits and signatures, and exports with their signatures', () => {
    const info = inspectWasmModule(uppercaseModule())
    expect(info.imports).toEqual([
      { module: 'env', name: 'progress', kind: 'function', type: { params: ['f64'], results: [] } },
      { module: 'env', name: 'memory', kind: 'memory', limits: { min: 1, shared: false } },
    ])
    expect(info.exports).toEqual([
      { name: 'alloc', kind: 'function', type: { params: ['i32'], results: ['i32'] } },
      { name: 'run', kind: 'function', type: { params: ['i32', 'i32'], results: ['i32'] } },
    ])
    expect(info.memories).toEqual([])
  })

  it('reads a module with globals (every AssemblyScript or Rust module has a stack pointer global)', () => {
    // uppercaseModule with a global section, `(global (mut i32) (i32.const 1024))`, put before its exports.
    const bytes = uppercaseModule()
    let at = 8
    while (bytes[at] !== 7) at += 2 + bytes[at + 1]! // the sections before the exports are shorter than 128 bytes
    const global = [6, 7, 1, 0x7f, 1, 0x41, 0x80, 0x08, 0x0b]
    const withGlobal = new Uint8Array([...bytes.subarray(0, at), ...global, ...bytes.subarray(at)])
    expect(WebAssembly.validate(withGlobal)).toBe(true)
    expect(inspectWasmModule(withGlobal).exports.map((e) => e.name)).toEqual(['alloc', 'run'])
  })

  it.each([
    ['an empty file', new Uint8Array(0)],
    ['another magic number', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 1, 0, 0, 0])],
    ['a section longer than the file', new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 100, 0])],
    ['an endless LEB128', new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])],
  ])('refuses %s as WASM_INVALID', (_, bytes) => {
    expect(() => inspectWasmModule(bytes)).toThrow(expect.objectContaining({ code: 'WASM_INVALID', field: 'module' }))
  })
})

describe('checkWasmAbi and capWasmLimits', () => {
  it('gives an imported memory without maximum the limit, and leaves the binary alone', () => {
    const info = inspectWasmModule(growUntilRefusedModule())
    expect(checkWasmAbi(info, 32)).toEqual({ memory: { imported: true, initial: 1, maximum: 32 }, caps: {} })
  })

  it('writes the limit into a defined memory without maximum; the result is a valid module', () => {
    const bytes = growUntilRefusedModule(true)
    const info = inspectWasmModule(bytes)
    const plan = checkWasmAbi(info, 48)
    expect(plan).toEqual({ memory: { imported: false, initial: 1, maximum: 48 }, caps: { memoryMaximum: 48 } })
    const capped = capWasmLimits(bytes, info, plan.caps)
    expect(WebAssembly.validate(capped)).toBe(true)
    expect(inspectWasmModule(capped).memories).toEqual([{ min: 1, max: 48, shared: false }])
  })

  it('caps a table declared without maximum', () => {
    const bytes = tableBombModule()
    const info = inspectWasmModule(bytes)
    const plan = checkWasmAbi(info, 16)
    expect(plan.caps).toEqual({ tableMaximum: maxTableElements })
    const capped = capWasmLimits(bytes, info, plan.caps)
    expect(WebAssembly.validate(capped)).toBe(true)
    expect(inspectWasmModule(capped).tables).toEqual([{ element: 'funcref', min: 0, max: maxTableElements, shared: false }])
  })

  it('refuses tables above the cap', () => {
    const module = buildModule({
      table: { min: maxTableElements + 1 },
      memory: { min: 1, export: 'memory' },
      functions: [
        { export: 'alloc', params: ['i32'], results: ['i32'], body: i32(0) },
        { export: 'run', params: ['i32', 'i32'], results: ['i32'], body: i32(0) },
      ],
    })
    expect(() => checkWasmAbi(inspectWasmModule(module), 16)).toThrow(expect.objectContaining({ code: 'MEMORY_LIMIT' }))
  })

  it('refuses env.progress with another signature', () => {
    const module = buildModule({
      imports: [
        { module: 'env', name: 'progress', kind: 'function', params: ['i32'], results: ['i32'] },
        { module: 'env', name: 'memory', kind: 'memory', min: 1 },
      ],
      functions: [
        { export: 'alloc', params: ['i32'], results: ['i32'], body: i32(0) },
        { export: 'run', params: ['i32', 'i32'], results: ['i32'], body: i32(0) },
      ],
    })
    expect(() => checkWasmAbi(inspectWasmModule(module), 16)).toThrow(/env\.progress must be imported as \(f64\) -> \(\)/)
  })
})

/**
 * A tiny WebAssembly assembler for tests: enough of the binary format (core spec 2.0, sections 1, 2,
 * 3, 4, 5, 7, 10, 11) to write small modules by hand, without a compiler. Function bodies are byte
 * arrays built from the `op` codes and the immediates helpers below.
 */
import { uleb } from '../capWasmLimits.ts'

export { uleb }

export type ValueType = 'i32' | 'i64' | 'f32' | 'f64'
export type Limits = { min: number; max?: number }

export type FunctionImport = { module: string; name: string; kind: 'function'; params: ValueType[]; results: ValueType[] }
export type MemoryImport = { module: string; name: string; kind: 'memory' } & Limits
export type WasmFunction = {
  params: ValueType[]
  results: ValueType[]
  /** Locals after the parameters. */
  locals?: ValueType[]
  /** The instructions, without the final `end`. */
  body: number[]
  export?: string
}
export type ModuleDefinition = {
  imports?: (FunctionImport | MemoryImport)[]
  /** A memory the module defines itself. */
  memory?: Limits & { export?: string }
  /** A funcref table the module defines itself. */
  table?: Limits
  /** Functions, indexed after the imported ones. */
  functions: WasmFunction[]
  data?: { offset: number; bytes: number[] | Uint8Array }[]
}

const valueTypes: Record<ValueType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c }

/** Opcodes used by the test modules. */
export const op = {
  unreachable: 0x00, block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, br_if: 0x0d,
  return: 0x0f, call: 0x10, drop: 0x1a, local_get: 0x20, local_set: 0x21, local_tee: 0x22,
  i32_load: 0x28, i32_load8_u: 0x2d, i32_store: 0x36, i32_store8: 0x3a, memory_size: 0x3f, memory_grow: 0x40,
  i32_const: 0x41, f64_const: 0x44, i32_eqz: 0x45, i32_eq: 0x46, i32_ne: 0x47, i32_lt_u: 0x49, i32_gt_u: 0x4b,
  i32_ge_u: 0x4f, i32_add: 0x6a, i32_sub: 0x6b, i32_mul: 0x6c, i32_shr_u: 0x76, f64_div: 0xa3,
  f64_convert_i32_u: 0xb8, ref_null: 0xd0, table_grow: [0xfc, 15],
  /** block type of a block/loop/if that leaves nothing on the stack */
  void: 0x40,
} as const

/** `i32.const n` */
export const i32 = (n: number) => [op.i32_const, ...sleb(n)]
/** `f64.const x` */
export const f64 = (x: number) => [op.f64_const, ...new Uint8Array(new Float64Array([x]).buffer)]
/** `local.get i` */
export const get = (i: number) => [op.local_get, ...uleb(i)]
/** `local.set i` */
export const set = (i: number) => [op.local_set, ...uleb(i)]
/** A load or store with its memarg (alignment exponent, offset). */
export const mem = (opcode: number, align = 0, offset = 0) => [opcode, align, ...uleb(offset)]

/** Assembles a module. */
export function buildModule(definition: ModuleDefinition): Uint8Array<ArrayBuffer> {
  const imports = definition.imports ?? []
  const types: number[][] = []
  const typeIndex = (params: ValueType[], results: ValueType[]) => {
    const encoded = [0x60, ...vec(params.map((t) => [valueTypes[t]])), ...vec(results.map((t) => [valueTypes[t]]))]
    const found = types.findIndex((t) => t.join() === encoded.join())
    return found >= 0 ? found : types.push(encoded) - 1
  }
  const importEntries = imports.map((entry) => {
    const head = [...name(entry.module), ...name(entry.name)]
    return entry.kind === 'function'
      ? [...head, 0x00, ...uleb(typeIndex(entry.params, entry.results))]
      : [...head, 0x02, ...limits(entry)]
  })
  const functionTypes = definition.functions.map((f) => uleb(typeIndex(f.params, f.results)))
  const importedFunctions = imports.filter((i) => i.kind === 'function').length
  const exports = definition.functions.flatMap((f, i) =>
    f.export ? [[...name(f.export), 0x00, ...uleb(importedFunctions + i)]] : [],
  )
  if (definition.memory?.export) exports.push([...name(definition.memory.export), 0x02, 0])
  const bodies = definition.functions.map((f) => {
    const locals = (f.locals ?? []).map((t) => [1, valueTypes[t]])
    const body = [...vec(locals), ...f.body, op.end]
    return [...uleb(body.length), ...body]
  })
  const data = (definition.data ?? []).map((d) => [0x00, ...i32(d.offset), op.end, ...uleb(d.bytes.length), ...d.bytes])

  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...(importEntries.length ? section(2, vec(importEntries)) : []),
    ...section(3, vec(functionTypes)),
    ...(definition.table ? section(4, vec([[0x70, ...limits(definition.table)]])) : []),
    ...(definition.memory ? section(5, vec([limits(definition.memory)])) : []),
    ...(exports.length ? section(7, vec(exports)) : []),
    ...section(10, vec(bodies)),
    ...(data.length ? section(11, vec(data)) : []),
  ])
}

function section(id: number, contents: number[]): number[] {
  return [id, ...uleb(contents.length), ...contents]
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()]
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)]
  return [...uleb(bytes.length), ...bytes]
}

function limits({ min, max }: Limits): number[] {
  return max === undefined ? [0x00, ...uleb(min)] : [0x01, ...uleb(min), ...uleb(max)]
}


/** signed LEB128 of a 32-bit integer */
export function sleb(value: number): number[] {
  const out: number[] = []
  value |= 0
  for (;;) {
    const byte = value & 0x7f
    value >>= 7
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      out.push(byte)
      return out
    }
    out.push(byte | 0x80)
  }
}

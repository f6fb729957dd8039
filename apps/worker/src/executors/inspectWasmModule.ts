import { ExecutorError } from './types.ts'

/** Limits of a memory or a table, in pages (64 KiB) or elements. */
export type WasmLimits = { min: number; max?: number; shared: boolean }
/** A function signature, value types by their text names (`i32`, `f64`...). */
export type WasmFunctionType = { params: string[]; results: string[] }
export type WasmExternKind = 'function' | 'table' | 'memory' | 'global' | 'tag'

export type WasmImport = { module: string; name: string; kind: WasmExternKind; type?: WasmFunctionType; limits?: WasmLimits }
export type WasmExport = { name: string; kind: WasmExternKind; type?: WasmFunctionType }

/** What the sandbox needs to know about a module before it lets it run. */
export type WasmModuleInfo = {
  imports: WasmImport[]
  exports: WasmExport[]
  /** Memories the module defines itself (its memory section). */
  memories: WasmLimits[]
  /** Tables the module defines itself, with their element type. */
  tables: (WasmLimits & { element: string })[]
  /** Byte ranges [start, end) of the table and memory sections, headers included, when present. */
  tableSection?: { start: number; end: number }
  memorySection?: { start: number; end: number }
}

const kinds: WasmExternKind[] = ['function', 'table', 'memory', 'global', 'tag']
export const valueTypes: Record<number, string> = {
  0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x70: 'funcref', 0x6f: 'externref',
}

/** Sections inspectWasmModule reads: type, import, function, table, memory, export. */
const PARSED_SECTIONS = new Set([1, 2, 3, 4, 5, 7])

/**
 * Reads the type, import, function, table, memory and export sections of a WebAssembly binary
 * (core spec 2.0), which WebAssembly.Module.imports/exports do not describe fully (no limits, no
 * signatures). Other sections are skipped; the engine validates them when it compiles the module.
 * @example inspectWasmModule(bytes).imports // [{ module: 'env', name: 'memory', kind: 'memory', limits: {...} }]
 */
export function inspectWasmModule(bytes: Uint8Array): WasmModuleInfo {
  const r = reader(bytes)
  if (r.u32le() !== 0x6d736100) throw malformed('it does not start with \\0asm')
  if (r.u32le() !== 1) throw malformed('only version 1 binaries (core modules) are supported')

  const info: WasmModuleInfo = { imports: [], exports: [], memories: [], tables: [] }
  const types: WasmFunctionType[] = []
  const functions: WasmFunctionType[] = [] // the function index space: imports first
  const exportIndices: number[] = []
  while (!r.done()) {
    const start = r.pos
    const id = r.byte()
    const size = r.leb()
    const end = r.pos + size
    if (end > bytes.length) throw malformed(`section ${id} runs past the end of the binary`)
    if (id === 1) {
      for (let n = r.leb(); n > 0; n--) {
        if (r.byte() !== 0x60) throw malformed('only function types are supported in the type section')
        types.push({ params: r.vec(() => r.valueType()), results: r.vec(() => r.valueType()) })
      }
    } else if (id === 2) {
      for (let n = r.leb(); n > 0; n--) {
        const module = r.name()
        const name = r.name()
        const kind = kinds[r.byte()]
        if (kind === 'function') {
          const type = typeAt(types, r.leb())
          functions.push(type)
          info.imports.push({ module, name, kind, type })
        } else if (kind === 'table') {
          r.valueType()
          info.imports.push({ module, name, kind, limits: r.limits() })
        } else if (kind === 'memory') {
          info.imports.push({ module, name, kind, limits: r.limits() })
        } else if (kind === 'global') {
          r.valueType()
          r.byte()
          info.imports.push({ module, name, kind })
        } else if (kind === 'tag') {
          r.byte()
          r.leb()
          info.imports.push({ module, name, kind })
        } else {
          throw malformed(`import ${module}.${name} has an unknown kind`)
        }
      }
    } else if (id === 3) {
      for (let n = r.leb(); n > 0; n--) functions.push(typeAt(types, r.leb()))
    } else if (id === 4) {
      for (let n = r.leb(); n > 0; n--) {
        const element = r.valueType()
        info.tables.push({ element, ...r.limits() })
      }
      info.tableSection = { start, end }
    } else if (id === 5) {
      for (let n = r.leb(); n > 0; n--) info.memories.push(r.limits())
      info.memorySection = { start, end }
    } else if (id === 7) {
      for (let n = r.leb(); n > 0; n--) {
        const name = r.name()
        const kind = kinds[r.byte()]
        if (!kind) throw malformed(`export ${name} has an unknown kind`)
        info.exports.push({ name, kind })
        exportIndices.push(r.leb())
      }
    }
    // Only the sections read above must end where their size says; the global section (6) is skipped.
    if (PARSED_SECTIONS.has(id) && r.pos !== end) throw malformed(`section ${id} has ${end - r.pos} bytes too many`)
    r.pos = end
  }
  info.exports.forEach((e, i) => {
    if (e.kind === 'function') e.type = functions[exportIndices[i]]
  })
  return info

  function typeAt(list: WasmFunctionType[], index: number): WasmFunctionType {
    const type = list[index]
    if (!type) throw malformed(`type index ${index} does not exist`)
    return type
  }
}

/** `(i32, i32) -> i32` */
export function formatFunctionType(type: WasmFunctionType | undefined): string {
  return type ? `(${type.params.join(', ')}) -> ${type.results.length ? type.results.join(', ') : '()'}` : 'unknown'
}

function reader(bytes: Uint8Array) {
  const r = {
    pos: 0,
    done: () => r.pos >= bytes.length,
    byte(): number {
      if (r.pos >= bytes.length) throw malformed('it ends in the middle of a section')
      return bytes[r.pos++]
    },
    u32le(): number {
      return (r.byte() | (r.byte() << 8) | (r.byte() << 16) | (r.byte() << 24)) >>> 0
    },
    /** unsigned LEB128, up to 32 bits */
    leb(): number {
      let result = 0
      for (let shift = 0; shift < 35; shift += 7) {
        const b = r.byte()
        result += (b & 0x7f) * 2 ** shift
        if ((b & 0x80) === 0) {
          if (result > 0xffffffff) break
          return result
        }
      }
      throw malformed('an integer is longer than 32 bits')
    },
    name(): string {
      const length = r.leb()
      if (r.pos + length > bytes.length) throw malformed('a name runs past the end of the binary')
      const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(r.pos, r.pos + length))
      r.pos += length
      return text
    },
    vec<T>(item: () => T): T[] {
      const items: T[] = []
      for (let n = r.leb(); n > 0; n--) items.push(item())
      return items
    },
    valueType(): string {
      const code = r.byte()
      const name = valueTypes[code]
      if (!name) throw malformed(`value type 0x${code.toString(16)} is not supported`)
      return name
    },
    limits(): WasmLimits {
      const flags = r.byte()
      if (flags > 7) throw malformed(`limits flags 0x${flags.toString(16)} are not supported`)
      if (flags & 4) throw malformed('64-bit memories and tables are not supported')
      const shared = (flags & 2) !== 0
      const min = r.leb()
      return flags & 1 ? { min, max: r.leb(), shared } : { min, shared }
    },
  }
  return r
}

function malformed(reason: string): ExecutorError {
  return new ExecutorError('WASM_INVALID', `the module is not a valid WebAssembly binary: ${reason}`, { field: 'module' })
}

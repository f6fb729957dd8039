import { valueTypes, type WasmModuleInfo } from './inspectWasmModule.ts'

/** Maxima to declare in a module's binary for what it defines without one. */
export type WasmCaps = {
  /** For the module's one defined memory, in pages. */
  memoryMaximum?: number
  /** For each defined table that declares no maximum, in elements. */
  tableMaximum?: number
}

/**
 * A copy of a module whose defined memory and tables declare the given maxima, so that the engine
 * refuses to grow them further (memory.grow and table.grow return -1), exactly as for an imported
 * memory with that maximum. Only the table and memory sections change; nothing refers to them by
 * offset.
 * @example capWasmLimits(bytes, inspectWasmModule(bytes), { memoryMaximum: 1024 })
 */
export function capWasmLimits(bytes: Uint8Array, info: WasmModuleInfo, caps: WasmCaps): Uint8Array<ArrayBuffer> {
  const replacements: { start: number; end: number; bytes: number[] }[] = []
  if (caps.tableMaximum !== undefined && info.tableSection) {
    const typeCodes = Object.fromEntries(Object.entries(valueTypes).map(([code, name]) => [name, Number(code)]))
    const entries = info.tables.map((t) => [typeCodes[t.element], 0x01, ...uleb(t.min), ...uleb(t.max ?? caps.tableMaximum!)])
    replacements.push({ ...info.tableSection, bytes: section(4, [...uleb(entries.length), ...entries.flat()]) })
  }
  if (caps.memoryMaximum !== undefined && info.memorySection) {
    if (info.memories.length !== 1) throw new Error('capWasmLimits needs a module that defines exactly one memory')
    const contents = [1, 0x01, ...uleb(info.memories[0].min), ...uleb(caps.memoryMaximum)]
    replacements.push({ ...info.memorySection, bytes: section(5, contents) })
  }
  const size = replacements.reduce((total, r) => total - (r.end - r.start) + r.bytes.length, bytes.length)
  const patched = new Uint8Array(size)
  let from = 0
  let to = 0
  for (const r of replacements.sort((a, b) => a.start - b.start)) {
    patched.set(bytes.subarray(from, r.start), to)
    to += r.start - from
    patched.set(r.bytes, to)
    to += r.bytes.length
    from = r.end
  }
  patched.set(bytes.subarray(from), to)
  return patched
}

function section(id: number, contents: number[]): number[] {
  return [id, ...uleb(contents.length), ...contents]
}

/** Unsigned LEB128, the integer encoding of the WebAssembly binary format. */
export function uleb(value: number): number[] {
  const out: number[] = []
  do {
    let byte = value % 128
    value = Math.floor(value / 128)
    if (value > 0) byte |= 0x80
    out.push(byte)
  } while (value > 0)
  return out
}

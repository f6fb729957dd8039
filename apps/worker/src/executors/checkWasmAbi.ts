import type { WasmCaps } from './capWasmLimits.ts'
import { formatFunctionType, type WasmFunctionType, type WasmLimits, type WasmModuleInfo } from './inspectWasmModule.ts'
import { ExecutorError } from './types.ts'

/** How the sandbox runs a module that checkWasmAbi accepted. */
export type WasmAbiPlan = {
  memory: {
    /** The module imports env.memory (the sandbox creates it) rather than defining its own. */
    imported: boolean
    /** Pages (64 KiB) at instantiation, as the module declares. */
    initial: number
    /** Pages the memory may grow to: the module's declared maximum, or the job's limit when it declares none. */
    maximum: number
  }
  /** Maxima to write into the binary (capWasmLimits) where the module declares none. */
  caps: WasmCaps
}

/**
 * Most table elements a module may declare, all tables together. Tables live in the thread's V8 heap,
 * and V8 does not fail a huge table.grow gently: past the heap limit it aborts the whole process.
 */
export const maxTableElements = 100_000

const allowedImports = 'only env.memory (a memory) and env.progress (a function (f64) -> ()) are provided'

/**
 * Checks a module against the sandbox ABI (WASM_ABI.md) and a memory limit in pages: imports only
 * env.memory and env.progress; exactly one memory, not shared, whose declared initial and maximum
 * fit the limit; tables whose maxima fit maxTableElements (one may declare none: it gets the rest);
 * exports alloc (i32) -> i32 and run (i32, i32) -> i32, and its memory as `memory` when it defines
 * one. Throws ExecutorError (field `module`) saying what to change.
 */
export function checkWasmAbi(info: WasmModuleInfo, limitPages: number): WasmAbiPlan {
  for (const entry of info.imports) {
    const what = `${entry.module}.${entry.name}`
    const isMemory = entry.module === 'env' && entry.name === 'memory' && entry.kind === 'memory'
    const isProgress = entry.module === 'env' && entry.name === 'progress' && entry.kind === 'function'
    if (!isMemory && !isProgress) {
      throw refuse('FORBIDDEN_IMPORT', `the module imports ${what} (${entry.kind}); ${allowedImports}`)
    }
    if (isProgress && !sameType(entry.type, ['f64'], [])) {
      throw refuse('WASM_INVALID', `env.progress must be imported as (f64) -> (), not ${formatFunctionType(entry.type)}`)
    }
  }

  const imported = info.imports.filter((i) => i.kind === 'memory').map((i) => i.limits as WasmLimits)
  const memories = [...imported, ...info.memories]
  if (memories.length !== 1) {
    throw refuse('WASM_INVALID', `the module has ${memories.length} memories; the ABI needs exactly one (import env.memory or define one)`)
  }
  const memory = memories[0]
  if (memory.shared) throw refuse('WASM_INVALID', 'shared memories (threads) are not allowed')
  if (memory.min > limitPages) {
    throw refuse('MEMORY_LIMIT', `the module's memory starts at ${memory.min} pages, above the limit of ${limitPages} pages (64 KiB each)`)
  }
  if (memory.max !== undefined && memory.max > limitPages) {
    throw refuse(
      'MEMORY_LIMIT',
      `the module's memory may grow to ${memory.max} pages, above the limit of ${limitPages} pages (64 KiB each); ` +
        'declare a smaller maximum or none (the limit then applies)',
    )
  }
  const open = info.tables.filter((t) => t.max === undefined)
  if (open.length > 1) throw refuse('WASM_INVALID', 'at most one table may come without a declared maximum')
  const declared = info.tables.reduce((total, t) => total + (t.max ?? t.min), 0)
  if (declared > maxTableElements) {
    throw refuse('MEMORY_LIMIT', `the module's tables declare ${declared} elements; at most ${maxTableElements} are allowed`)
  }

  const exported = (name: string) => info.exports.find((e) => e.name === name)
  if (imported.length === 0 && exported('memory')?.kind !== 'memory') {
    throw refuse('WASM_INVALID', 'the module defines its memory but does not export it as "memory"')
  }
  expectFunction(exported('alloc'), 'alloc', ['i32'], ['i32'])
  expectFunction(exported('run'), 'run', ['i32', 'i32'], ['i32'])

  const caps: WasmCaps = {}
  if (imported.length === 0 && memory.max === undefined) caps.memoryMaximum = limitPages
  if (open.length === 1) caps.tableMaximum = maxTableElements - declared + open[0].min
  return { memory: { imported: imported.length === 1, initial: memory.min, maximum: memory.max ?? limitPages }, caps }
}

function expectFunction(entry: WasmModuleInfo['exports'][number] | undefined, name: string, params: string[], results: string[]) {
  const wanted = formatFunctionType({ params, results })
  if (!entry || entry.kind !== 'function') throw refuse('WASM_INVALID', `the module must export a function ${name}: ${wanted}`)
  if (!sameType(entry.type, params, results)) {
    throw refuse('WASM_INVALID', `the export ${name} must be ${wanted}, not ${formatFunctionType(entry.type)}`)
  }
}

function sameType(type: WasmFunctionType | undefined, params: string[], results: string[]): boolean {
  return !!type && type.params.join() === params.join() && type.results.join() === results.join()
}

function refuse(code: 'FORBIDDEN_IMPORT' | 'MEMORY_LIMIT' | 'WASM_INVALID', message: string): ExecutorError {
  return new ExecutorError(code, message, { field: 'module' })
}

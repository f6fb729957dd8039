import { buildModule, f64, get, i32, mem, op, set, type FunctionImport, type MemoryImport, type WasmFunction } from './wasmBuilder.ts'

// Hand-assembled modules for the wasm executor's tests; WASM_ABI.md has the first one in WAT.

const envMemory = (min = 1, max?: number): MemoryImport => ({ module: 'env', name: 'memory', kind: 'memory', min, max })
const envProgress: FunctionImport = { module: 'env', name: 'progress', kind: 'function', params: ['f64'], results: [] }

/** alloc(len) -> 16, growing memory to hold the input and an output as long, trapping if it cannot. */
const growingAlloc: WasmFunction = {
  export: 'alloc',
  params: ['i32'],
  results: ['i32'],
  locals: ['i32'],
  body: [
    ...get(0), ...i32(2), op.i32_mul, ...i32(16 + 4 + 65535), op.i32_add, ...i32(16), op.i32_shr_u, ...set(1),
    ...get(1), op.memory_size, 0, op.i32_gt_u, op.if, op.void,
    ...get(1), op.memory_size, 0, op.i32_sub, op.memory_grow, 0, ...i32(-1), op.i32_eq, op.if, op.void, op.unreachable, op.end,
    op.end,
    ...i32(16),
  ],
}

const fixedAlloc: WasmFunction = { export: 'alloc', params: ['i32'], results: ['i32'], body: [...i32(16)] }

/** Imports env.memory and env.progress; run uppercases ASCII letters: output = input with a-z as A-Z. */
export function uppercaseModule(): Uint8Array {
  return buildModule({
    imports: [envProgress, envMemory(1)],
    functions: [
      growingAlloc,
      {
        export: 'run',
        params: ['i32', 'i32'], // ptr, len
        results: ['i32'],
        locals: ['i32', 'i32', 'i32'], // i, out, byte
        body: [
          ...f64(0), op.call, 0,
          ...get(0), ...get(1), op.i32_add, ...set(3),
          op.block, op.void, op.loop, op.void,
          ...get(2), ...get(1), op.i32_ge_u, op.br_if, 1,
          ...get(0), ...get(2), op.i32_add, ...mem(op.i32_load8_u), ...set(4),
          ...get(3), ...get(2), op.i32_add,
          ...get(4), ...i32(97), op.i32_sub, ...i32(26), op.i32_lt_u,
          op.if, 0x7f, ...get(4), ...i32(32), op.i32_sub, op.else, ...get(4), op.end,
          ...mem(op.i32_store8, 0, 4),
          ...get(2), ...i32(1), op.i32_add, ...set(2),
          op.br, 0,
          op.end, op.end,
          ...f64(1), op.call, 0,
          ...get(3), ...get(1), ...mem(op.i32_store, 2),
          ...get(3),
        ],
      },
    ],
  })
}

/** Defines and exports its own memory (no maximum); run outputs the sum of the input bytes as a u32. */
export function sumModule(): Uint8Array {
  return buildModule({
    memory: { min: 1, export: 'memory' },
    functions: [
      growingAlloc,
      {
        export: 'run',
        params: ['i32', 'i32'],
        results: ['i32'],
        locals: ['i32', 'i32'], // i, sum
        body: [
          op.block, op.void, op.loop, op.void,
          ...get(2), ...get(1), op.i32_ge_u, op.br_if, 1,
          ...get(0), ...get(2), op.i32_add, ...mem(op.i32_load8_u), ...get(3), op.i32_add, ...set(3),
          ...get(2), ...i32(1), op.i32_add, ...set(2),
          op.br, 0,
          op.end, op.end,
          ...get(0), ...get(1), op.i32_add, ...i32(4), ...mem(op.i32_store, 2),
          ...get(0), ...get(1), op.i32_add, ...get(3), ...mem(op.i32_store, 2, 4),
          ...get(0), ...get(1), op.i32_add,
        ],
      },
    ],
  })
}

/** run never returns. */
export function endlessLoopModule(): Uint8Array {
  return buildModule({
    imports: [envMemory(1)],
    functions: [fixedAlloc, { export: 'run', params: ['i32', 'i32'], results: ['i32'], body: [op.loop, op.void, op.br, 0, op.end, ...i32(0)] }],
  })
}

/**
 * run grows memory a page at a time until memory.grow fails, then outputs the page count it reached
 * as a u32. With `ownMemory` it defines its memory (no maximum) instead of importing it.
 */
export function growUntilRefusedModule(ownMemory = false): Uint8Array {
  return buildModule({
    imports: ownMemory ? [] : [envMemory(1)],
    memory: ownMemory ? { min: 1, export: 'memory' } : undefined,
    functions: [
      fixedAlloc,
      {
        export: 'run',
        params: ['i32', 'i32'],
        results: ['i32'],
        body: [
          op.block, op.void, op.loop, op.void,
          ...i32(1), op.memory_grow, 0, ...i32(-1), op.i32_eq, op.br_if, 1,
          op.br, 0,
          op.end, op.end,
          ...i32(0), ...i32(4), ...mem(op.i32_store, 2),
          ...i32(0), op.memory_size, 0, ...mem(op.i32_store, 2, 4),
          ...i32(0),
        ],
      },
    ],
  })
}

/** run asks for 100,000 more pages (6.1 GiB) at once and traps when refused. */
export function memoryBombModule(): Uint8Array {
  return buildModule({
    imports: [envMemory(1)],
    functions: [
      fixedAlloc,
      {
        export: 'run',
        params: ['i32', 'i32'],
        results: ['i32'],
        body: [...i32(100_000), op.memory_grow, 0, ...i32(-1), op.i32_eq, op.if, op.void, op.unreachable, op.end, ...i32(0)],
      },
    ],
  })
}

/** A module whose memory declares `min` pages initially and optionally `max`, otherwise harmless. */
export function declaredMemoryModule(limits: { min: number; max?: number }, imported = true): Uint8Array {
  return buildModule({
    imports: imported ? [envMemory(limits.min, limits.max)] : [],
    memory: imported ? undefined : { ...limits, export: 'memory' },
    functions: [fixedAlloc, { export: 'run', params: ['i32', 'i32'], results: ['i32'], body: [...i32(0)] }],
  })
}

/** Imports WASI's fd_write, which the sandbox does not provide. */
export function forbiddenImportModule(): Uint8Array {
  return buildModule({
    imports: [
      { module: 'wasi_snapshot_preview1', name: 'fd_write', kind: 'function', params: ['i32', 'i32', 'i32', 'i32'], results: ['i32'] },
      envMemory(1),
    ],
    functions: [fixedAlloc, { export: 'run', params: ['i32', 'i32'], results: ['i32'], body: [...i32(0)] }],
  })
}

/** run executes `unreachable`. */
export function trapModule(): Uint8Array {
  return buildModule({
    imports: [envMemory(1)],
    functions: [fixedAlloc, { export: 'run', params: ['i32', 'i32'], results: ['i32'], body: [op.unreachable] }],
  })
}

/** run returns a pointer whose length header says 1 GiB, past the end of memory. */
export function lyingOutputModule(): Uint8Array {
  return buildModule({
    imports: [envMemory(1)],
    functions: [
      fixedAlloc,
      { export: 'run', params: ['i32', 'i32'], results: ['i32'], body: [...i32(0), ...i32(1 << 30), ...mem(op.i32_store, 2), ...i32(0)] },
    ],
  })
}

/** run grows a funcref table without bound: the thread's V8 heap, not wasm memory, fills up. */
export function tableBombModule(): Uint8Array {
  return buildModule({
    imports: [envMemory(1)],
    table: { min: 0 },
    functions: [
      fixedAlloc,
      {
        export: 'run',
        params: ['i32', 'i32'],
        results: ['i32'],
        body: [
          op.loop, op.void,
          op.ref_null, 0x70, ...i32(100_000), ...op.table_grow, 0, ...i32(-1), op.i32_ne, op.br_if, 0,
          op.end,
          ...i32(0),
        ],
      },
    ],
  })
}

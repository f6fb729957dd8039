// The task that wasmExecutor.ts runs in a worker thread: compiles the poster's module, links it to
// the ABI of WASM_ABI.md (env.memory and env.progress, nothing else) and runs it once. Plain
// JavaScript with no import at all, so the thread that runs untrusted code holds nothing but this.
// The main thread has already checked the module's imports, exports and memory limits
// (checkWasmAbi.ts); the checks here are a second line, not the first.

const pageBytes = 65536

/**
 * @param {{ module: Uint8Array, input: Uint8Array, memory: { imported: boolean, initial: number, maximum: number }, maxOutputBytes: number }} job
 * @param {{ progress(fraction: number): void }} host
 */
export default async function runWasmSandbox(job, host) {
  const module = await compile(job.module)
  const env = {}
  for (const { module: from, name, kind } of WebAssembly.Module.imports(module)) {
    if (from === 'env' && name === 'memory' && kind === 'memory') {
      env.memory = new WebAssembly.Memory({ initial: job.memory.initial, maximum: job.memory.maximum })
    } else if (from === 'env' && name === 'progress' && kind === 'function') {
      env.progress = throttled(host.progress)
    } else {
      throw fault('FORBIDDEN_IMPORT', `the module imports ${from}.${name} (${kind}); only env.memory and env.progress exist`)
    }
  }
  const instance = await trapping(() => WebAssembly.instantiate(module, { env }))
  const memory = env.memory ?? instance.exports.memory
  const { alloc, run } = instance.exports
  if (!(memory instanceof WebAssembly.Memory) || typeof alloc !== 'function' || typeof run !== 'function') {
    throw fault('WASM_INVALID', 'the module must export alloc, run and (unless it imports env.memory) memory')
  }
  if (memory.buffer.byteLength > job.memory.maximum * pageBytes) {
    throw fault('MEMORY_LIMIT', `the module's memory exceeds ${job.memory.maximum} pages`)
  }

  const length = job.input.byteLength
  const inputAt = (await trapping(() => alloc(length))) >>> 0
  if (inputAt + length > memory.buffer.byteLength) {
    throw fault('WASM_INVALID', `alloc(${length}) returned ${inputAt}, which leaves no room for the input in memory`)
  }
  new Uint8Array(memory.buffer).set(job.input, inputAt)

  const started = performance.now()
  const outputAt = (await trapping(() => run(inputAt, length))) >>> 0
  const runMs = performance.now() - started
  const bytes = new Uint8Array(memory.buffer) // memory.grow replaces the buffer: read it after run
  if (outputAt + 4 > bytes.length) throw fault('WASM_INVALID', `run returned ${outputAt}, outside the module's memory`)
  const outputLength = new DataView(memory.buffer).getUint32(outputAt, true)
  if (outputLength > job.maxOutputBytes) {
    throw fault('WASM_INVALID', `the output is ${outputLength} bytes; at most ${job.maxOutputBytes} are accepted`)
  }
  if (outputAt + 4 + outputLength > bytes.length) {
    throw fault('WASM_INVALID', `the output (${outputLength} bytes at ${outputAt + 4}) runs past the end of memory`)
  }
  return {
    output: bytes.slice(outputAt + 4, outputAt + 4 + outputLength),
    memoryPages: bytes.length / pageBytes,
    runMs,
  }
}

async function compile(bytes) {
  try {
    return await WebAssembly.compile(bytes)
  } catch (error) {
    throw fault('WASM_INVALID', `the module does not compile: ${error.message}`)
  }
}

// Calls into the module; its traps (and stack overflows) become WASM_TRAP, its misuse of the ABI WASM_INVALID.
async function trapping(call) {
  try {
    return await call()
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError || error instanceof RangeError) {
      throw fault('WASM_TRAP', `the module trapped: ${error.message}`)
    }
    if (error instanceof WebAssembly.LinkError) throw fault('WASM_INVALID', `the module does not link: ${error.message}`)
    throw fault('WASM_INVALID', `the module does not follow the ABI: ${error.message}`)
  }
}

// The module may call progress in a tight loop; at most ten reports a second leave the thread.
function throttled(report) {
  let last = -Infinity
  return (fraction) => {
    const now = performance.now()
    if (!(fraction >= 0 && fraction <= 1) || (fraction < 1 && now - last < 100)) return
    last = now
    report(fraction)
  }
}

function fault(code, message) {
  return Object.assign(new Error(message), { code, field: 'module' })
}

// A `wasm` task module in AssemblyScript (see apps/worker/src/executors/WASM_ABI.md): the output is the
// input with ASCII a-z turned into A-Z. Build it with no host imports:
//   npx asc examples/wasm/uppercase.ts --outFile uppercase.wasm --runtime stub --use abort= -O3

/** Room for the input and, right after it, the output (a u32 length, then the bytes). */
export function alloc(len: i32): i32 {
  return <i32>heap.alloc(<usize>len * 2 + 4)
}

/** Writes the uppercased input after it and returns the output's address. */
export function run(ptr: i32, len: i32): i32 {
  const out = ptr + len
  store<u32>(out, len)
  for (let i = 0; i < len; i++) {
    const byte = load<u8>(ptr + i)
    store<u8>(out + 4 + i, byte - 97 < 26 ? byte - 32 : byte)
  }
  return out
}

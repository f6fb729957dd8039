// PCG32 (XSH RR), seeded per pixel from (scene seed, x, y) so that a pixel's samples do not depend on
// which tile it was rendered in, nor on the order of the tiles.

let state: u64 = 0

const PCG_MULTIPLIER: u64 = 6364136223846793005
const PCG_INCREMENT: u64 = 1442695040888963407

function splitmix64(x: u64): u64 {
  let z: u64 = x + 0x9e3779b97f4a7c15
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb
  return z ^ (z >> 31)
}

/** Starts the stream of pixel (x, y); x and y are below 65536. */
export function seedPixel(seed: u32, x: u32, y: u32): void {
  state = splitmix64((<u64>seed << 32) | (<u64>y << 16) | <u64>x)
}

export function nextU32(): u32 {
  const old = state
  state = old * PCG_MULTIPLIER + PCG_INCREMENT
  const xorshifted = <u32>(((old >> 18) ^ old) >> 27)
  const rot = <u32>(old >> 59)
  return rotr<u32>(xorshifted, rot)
}

/** A uniform number in [0, 1). */
export function random(): f64 {
  return <f64>nextU32() * (1.0 / 4294967296.0)
}

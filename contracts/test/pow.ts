import { type Hex, bytesToBigInt, hexToBytes, keccak256 } from 'viem'

/**
 * Finds the first nonce for which `keccak256(abi.encodePacked(seed, nonce)) < target` holds (or, with
 * `valid: false`, fails), by brute force, as a node answering a NodeRegistry challenge does.
 */
export function solveChallenge(seed: Hex, target: bigint, { valid = true } = {}): bigint {
  const input = new Uint8Array(64)
  input.set(hexToBytes(seed), 0)
  const view = new DataView(input.buffer)
  for (let nonce = 0n; nonce < 1n << 40n; nonce++) {
    view.setBigUint64(56, nonce)
    const below = bytesToBigInt(keccak256(input, 'bytes')) < target
    if (below === valid) return nonce
  }
  throw new Error('no solution within 2^40 tries')
}

import { type Hex, encodePacked, keccak256 } from 'viem'

/**
 * Finds a nonce with `keccak256(seed, nonce) < target` (NodeRegistry's PoW challenge), yielding to the
 * event loop now and then so progress shows and a stop signal is seen.
 * @example const { nonce } = await solvePow(seed, target, { onProgress: (n) => console.log(n) })
 */
export async function solvePow(seed: Hex, target: bigint, { signal, onProgress }: { signal?: AbortSignal; onProgress?: (tries: number, expected: number) => void } = {}) {
  const expected = Number((1n << 256n) / target)
  const started = performance.now()
  for (let nonce = 0n; ; nonce++) {
    if (BigInt(keccak256(encodePacked(['bytes32', 'uint256'], [seed, nonce]))) < target) {
      return { nonce, tries: Number(nonce) + 1, ms: performance.now() - started }
    }
    if (nonce % 4096n === 4095n) {
      onProgress?.(Number(nonce) + 1, expected)
      if (signal?.aborted) throw new Error('proof of work stopped')
      await new Promise((r) => setImmediate(r))
    }
  }
}

import { type Address, type Hex, concat, encodeAbiParameters, keccak256 } from 'viem'

/** A job record as the escrow anchors it: verdict 1 = accepted, 2 = rejected. */
export type JobRecord = { taskId: Hex; jobId: Hex; worker: Address; resultHash: Hex; verdict: number }

/** Leaf encoding of OpenZeppelin's StandardMerkleTree, as TaskEscrow.jobRecordLeaf computes it. */
export function jobRecordLeaf(r: JobRecord): Hex {
  return keccak256(
    keccak256(
      encodeAbiParameters(
        [{ type: 'bytes32' }, { type: 'bytes32' }, { type: 'address' }, { type: 'bytes32' }, { type: 'uint8' }],
        [r.taskId, r.jobId, r.worker, r.resultHash, r.verdict],
      ),
    ),
  )
}

function hashPair(a: Hex, b: Hex): Hex {
  return keccak256(BigInt(a) < BigInt(b) ? concat([a, b]) : concat([b, a]))
}

/**
 * A Merkle tree over leaves with sorted-pair hashing (OpenZeppelin MerkleProof). Leaves are sorted first,
 * so the root does not depend on their order.
 * @example const tree = buildMerkleTree(leaves); tree.proof(leaves[0])
 */
export function buildMerkleTree(leaves: readonly Hex[]) {
  if (leaves.length === 0) throw new RangeError('a Merkle tree needs at least one leaf')
  const sorted = [...new Set(leaves)].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))
  const layers: Hex[][] = [sorted]
  while (layers[layers.length - 1]!.length > 1) {
    const layer = layers[layers.length - 1]!
    const next: Hex[] = []
    for (let i = 0; i < layer.length; i += 2) next.push(i + 1 < layer.length ? hashPair(layer[i]!, layer[i + 1]!) : layer[i]!)
    layers.push(next)
  }
  return {
    root: layers[layers.length - 1]![0]!,
    proof(leaf: Hex): Hex[] {
      let index = sorted.indexOf(leaf)
      if (index < 0) throw new RangeError('leaf is not in the tree')
      const proof: Hex[] = []
      for (const layer of layers.slice(0, -1)) {
        const sibling = index ^ 1
        if (sibling < layer.length) proof.push(layer[sibling]!)
        index >>= 1
      }
      return proof
    },
  }
}

/** Checks a proof the way OpenZeppelin's MerkleProof.verify does. */
export function verifyMerkleProof(root: Hex, leaf: Hex, proof: readonly Hex[]): boolean {
  return proof.reduce(hashPair, leaf) === root
}

/**
 * Merkle trees of settled job records, laid out exactly like OpenZeppelin's StandardMerkleTree (leaves
 * sorted, complete binary tree in an array, sorted-pair hashing as in OZ MerkleProof), so the roots match
 * the ones OZ's library computes and `TaskEscrow.verifyJobRecord` checks. Pure: no I/O.
 * (Will move to packages/core.)
 */
import { type Address, type Hex, concat, encodeAbiParameters, hexToBigInt, keccak256 } from 'viem'

/** What a batch's tree commits to, one record per job paid for. */
export type JobRecord = {
  taskId: Hex
  jobId: Hex
  worker: Address
  resultHash: Hex
  /** 0 rejected, 1 accepted, … as the settlement defines. */
  verdict: number
}

export type MerkleTree = {
  root: Hex
  /** The leaves in the order they were given. */
  leaves: readonly Hex[]
  /** Sibling hashes from the `index`-th given leaf up to the root, as OZ MerkleProof.verify takes them. */
  proof(index: number): Hex[]
}

const jobRecordParameters = [
  { type: 'bytes32' },
  { type: 'bytes32' },
  { type: 'address' },
  { type: 'bytes32' },
  { type: 'uint8' },
] as const

/** A job record's leaf: keccak256(bytes.concat(keccak256(abi.encode(taskId, jobId, worker, resultHash, verdict)))). */
export function jobRecordLeaf(record: JobRecord): Hex {
  const encoded = encodeAbiParameters(jobRecordParameters, [
    record.taskId,
    record.jobId,
    record.worker,
    record.resultHash,
    record.verdict,
  ])
  return keccak256(keccak256(encoded))
}

/** Hash of two nodes, smaller first (OZ `Hashes.commutativeKeccak256`). */
export function hashPair(a: Hex, b: Hex): Hex {
  return hexToBigInt(a) < hexToBigInt(b) ? keccak256(concat([a, b])) : keccak256(concat([b, a]))
}

/** Folds a proof into the root it implies for `leaf` (OZ `MerkleProof.processProof`). */
export function processProof(leaf: Hex, proof: readonly Hex[]): Hex {
  return proof.reduce((node, sibling) => hashPair(node, sibling), leaf)
}

/**
 * Builds the tree of already-hashed `leaves`.
 * @example const tree = buildMerkleTree(records.map(jobRecordLeaf)); tree.proof(0)
 */
export function buildMerkleTree(leaves: readonly Hex[]): MerkleTree {
  if (leaves.length === 0) throw new RangeError('a Merkle tree needs at least one leaf')
  const order = leaves
    .map((leaf, index) => ({ leaf: leaf.toLowerCase() as Hex, index }))
    .sort((x, y) => (x.leaf < y.leaf ? -1 : x.leaf > y.leaf ? 1 : 0))
  // A complete binary tree in an array: node k has children 2k+1 and 2k+2; leaves fill the end, reversed.
  const tree = new Array<Hex>(2 * leaves.length - 1)
  const position = new Array<number>(leaves.length)
  order.forEach(({ leaf, index }, sortedIndex) => {
    const k = tree.length - 1 - sortedIndex
    tree[k] = leaf
    position[index] = k
  })
  for (let k = tree.length - 1 - leaves.length; k >= 0; k--) tree[k] = hashPair(tree[2 * k + 1], tree[2 * k + 2])

  return {
    root: tree[0],
    leaves: [...leaves],
    proof(index) {
      if (!Number.isInteger(index) || index < 0 || index >= leaves.length) {
        throw new RangeError(`no leaf ${index} in a tree of ${leaves.length}`)
      }
      const proof: Hex[] = []
      for (let k = position[index]; k > 0; k = Math.floor((k - 1) / 2)) proof.push(tree[k % 2 === 1 ? k + 1 : k - 1])
      return proof
    },
  }
}

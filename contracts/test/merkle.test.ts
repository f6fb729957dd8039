/**
 * Core's Merkle tree (`@taskmarket/core`, what the relayer anchors and the gas script measures) against
 * OpenZeppelin's vectors: its leaves and its proofs are the ones TaskEscrow's `jobRecordLeaf` and
 * `verifyJobRecord` (OpenZeppelin MerkleProof) take.
 */
import { type Hex, encodeAbiParameters, keccak256, toHex } from 'viem'
import { describe, expect, it } from 'vitest'
import { buildMerkleTree, jobRecordLeaf, verifyMerkleProof } from '@taskmarket/core'

/** OZ StandardMerkleTree's leaf of arbitrary values. */
const standardLeaf = (types: readonly { type: string }[], values: readonly unknown[]) =>
  keccak256(keccak256(encodeAbiParameters(types, values)))

describe('buildMerkleTree', () => {
  it('matches the @openzeppelin/merkle-tree README vector', () => {
    const types = [{ type: 'address' }, { type: 'uint256' }]
    const leaves = [
      standardLeaf(types, ['0x1111111111111111111111111111111111111111', 5_000_000_000_000_000_000n]),
      standardLeaf(types, ['0x2222222222222222222222222222222222222222', 2_500_000_000_000_000_000n]),
    ]
    expect(leaves[0]).toBe('0xeb02c421cfa48976e66dfb29120745909ea3a0f843456c263cf8f1253483e283')
    const tree = buildMerkleTree(leaves)
    expect(tree.root).toBe('0xd4dee0beab2d53f2cc83e567171bd2820e49898130a22622b10ead383e90bd77')
    expect(tree.proof(leaves[0])).toEqual(['0xb92c48e9d7abe27fd8dfd6b5dfdbfb1c9a463f80c712b66f3a5180a090cccafc'])
    expect(tree.proof(leaves[1])).toEqual([leaves[0]])
  })

  it('matches OZ for an odd number of leaves (strings "a", "b", "c")', () => {
    const tree = buildMerkleTree(['a', 'b', 'c'].map((c) => standardLeaf([{ type: 'string' }], [c])))
    expect(tree.root).toBe('0xf2129b5a697531ef818f644564a6552b35c549722385bc52aa7fe46c0b5f46b1')
  })

  it('gives every leaf a proof of the root, and no proof for a tampered leaf', () => {
    for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 16, 33]) {
      const leaves = Array.from({ length: n }, (_, i) => keccak256(toHex(`leaf ${n}/${i}`)))
      const tree = buildMerkleTree(leaves)
      for (const leaf of leaves) {
        expect(verifyMerkleProof(tree.root, leaf, tree.proof(leaf))).toBe(true)
        if (n > 1) expect(verifyMerkleProof(tree.root, keccak256(leaf), tree.proof(leaf))).toBe(false)
      }
    }
  })

  it('keeps proofs valid with duplicate leaves and refuses bad input', () => {
    const leaf = keccak256('0x01')
    const leaves = [leaf, leaf, keccak256('0x02')]
    const tree = buildMerkleTree(leaves)
    for (const l of leaves) expect(verifyMerkleProof(tree.root, l, tree.proof(l))).toBe(true)
    expect(() => buildMerkleTree([])).toThrow(RangeError)
    expect(() => tree.proof(keccak256('0x03'))).toThrow(RangeError)
  })

  it('hashes pairs commutatively', () => {
    const [a, b] = [keccak256('0x0a'), keccak256('0x0b')] as Hex[]
    const root = buildMerkleTree([a, b]).root
    expect(buildMerkleTree([b, a]).root).toBe(root)
    expect(verifyMerkleProof(root, a, [b])).toBe(true)
    expect(verifyMerkleProof(root, b, [a])).toBe(true)
  })

  it('encodes job records as StandardMerkleTree leaves', () => {
    const record = {
      taskId: keccak256('0x01'),
      jobId: keccak256('0x02'),
      worker: '0x1111111111111111111111111111111111111111',
      resultHash: keccak256('0x03'),
      verdict: 1,
    } as const
    const types = ['bytes32', 'bytes32', 'address', 'bytes32', 'uint8'].map((type) => ({ type }))
    expect(jobRecordLeaf(record)).toBe(
      standardLeaf(types, [record.taskId, record.jobId, record.worker, record.resultHash, record.verdict]),
    )
  })
})

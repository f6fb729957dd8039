import { describe, expect, it } from 'vitest'
import { buildMerkleTree, jobRecordLeaf, verifyMerkleProof } from './merkle.ts'

const record = (i: number) => ({
  taskId: `0x${i.toString(16).padStart(64, '0')}` as const,
  jobId: `0x${(i + 1000).toString(16).padStart(64, '0')}` as const,
  worker: `0x${(i + 1).toString(16).padStart(40, '0')}` as const,
  resultHash: `0x${'ab'.repeat(32)}` as const,
  verdict: i % 2 ? 1 : 2,
})

describe('merkle', () => {
  it('proves every leaf and refuses a tampered one, for sizes 1..9', () => {
    for (let n = 1; n <= 9; n++) {
      const leaves = Array.from({ length: n }, (_, i) => jobRecordLeaf(record(i)))
      const tree = buildMerkleTree(leaves)
      for (const leaf of leaves) expect(verifyMerkleProof(tree.root, leaf, tree.proof(leaf))).toBe(true)
      const forged = jobRecordLeaf({ ...record(0), verdict: 1 - (record(0).verdict - 1) + 1 })
      if (!leaves.includes(forged)) expect(verifyMerkleProof(tree.root, forged, tree.proof(leaves[0]!))).toBe(false)
    }
  })
  it('does not depend on leaf order', () => {
    const leaves = Array.from({ length: 5 }, (_, i) => jobRecordLeaf(record(i)))
    expect(buildMerkleTree(leaves).root).toBe(buildMerkleTree([...leaves].reverse()).root)
  })
})

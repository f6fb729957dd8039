import { encodePacked, keccak256 } from 'viem'
import { describe, expect, it } from 'vitest'
import { errorDigest, jobChainId, resultHash, resultSeal } from './seal.ts'

const task = `0x${'11'.repeat(32)}` as const
const digest = `0x${'22'.repeat(32)}` as const
const [alice, bob] = ['0x00000000000000000000000000000000000000a1', '0x00000000000000000000000000000000000000b2'] as const

describe('result commitments', () => {
  it('give every job of a task its own id, the same wherever it is computed', () => {
    expect(jobChainId(task, 0)).toBe(keccak256(encodePacked(['bytes32', 'uint32'], [task, 0])))
    expect(new Set([0, 1, 2, 3].map((i) => jobChainId(task, i))).size).toBe(4)
  })

  it('bind a seal to its worker, so a copied seal does not fit another worker; the result hash does not name the worker', () => {
    const job = jobChainId(task, 0)
    expect(resultSeal(alice, task, job, digest)).not.toBe(resultSeal(bob, task, job, digest))
    expect(resultHash(task, job, digest)).not.toBe(resultHash(task, jobChainId(task, 1), digest))
  })

  it('digest an agreed error by its code alone', () => {
    expect(errorDigest('TIME_LIMIT')).toBe(errorDigest('TIME_LIMIT'))
    expect(errorDigest('TIME_LIMIT')).not.toBe(errorDigest('MEMORY_LIMIT'))
  })
})

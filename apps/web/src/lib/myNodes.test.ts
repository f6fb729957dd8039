import { describe, expect, it } from 'vitest'
import { addMyNode, loadMyNodes, removeMyNode } from './myNodes.ts'

const a = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8'

describe('my nodes', () => {
  it('adds checksummed addresses once, refuses junk, removes', () => {
    expect(addMyNode('nope').error).toMatch(/Not an Ethereum address/)
    expect(addMyNode(` ${a} `).nodes).toEqual(['0x70997970C51812dc3A010C7d01b50e0d17dc79C8'])
    expect(addMyNode(a.toUpperCase().replace('0X', '0x')).error).toMatch(/Already/)
    expect(loadMyNodes()).toHaveLength(1)
    expect(removeMyNode(a)).toEqual([])
    localStorage.setItem('taskmarket.myNodes.v1', '{bad')
    expect(loadMyNodes()).toEqual([])
  })
})

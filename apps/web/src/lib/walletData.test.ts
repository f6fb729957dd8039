import { describe, expect, it } from 'vitest'
import { missingTx } from './walletData.ts'

describe('wallet data', () => {
  it('names the just-mined transactions the history does not show yet, whatever their case', () => {
    const events = [{ tx_hash: '0xAB' }, { tx_hash: '0xcd' }]
    expect(missingTx(events, ['0xab', '0xCD'])).toEqual([])
    expect(missingTx(events, ['0xef', '0xab'])).toEqual(['0xef'])
    expect(missingTx([], [])).toEqual([])
  })
})

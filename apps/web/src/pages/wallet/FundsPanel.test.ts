import { describe, expect, it } from 'vitest'
import { planFor } from './FundsPanel.tsx'

const c = { token: '0x0000000000000000000000000000000000000001', sale: '0x0000000000000000000000000000000000000002', escrow: '0x0000000000000000000000000000000000000003' } as const
const balances = { eth: '1', wallet: '50', deposited: '20' }

describe('funds actions', () => {
  it('plans approve + deposit, a faucet drip, a purchase and a withdrawal', () => {
    expect(planFor('deposit', '10', balances, c).map((p) => p.label)).toEqual(['Allow the escrow to take 10 TASK', 'Deposit 10 TASK to your escrow balance'])
    expect(planFor('faucet', '1000', balances, c).map((p) => p.label)).toEqual(['Receive 1,000 TASK from the faucet'])
    expect(planFor('buy', '0.5', balances, c, { tokens: 500n * 10n ** 18n }).map((p) => p.label)).toEqual(['Buy 500 TASK for 0.5 ETH'])
    expect(planFor('withdraw', '20', balances, c).map((p) => p.label)).toEqual(['Withdraw 20 TASK to your wallet'])
  })

  it('refuses amounts the account cannot move, with a reason for the field', () => {
    expect(() => planFor('deposit', '51', balances, c)).toThrow(/wallet holds 50 TASK/)
    expect(() => planFor('withdraw', '21', balances, c)).toThrow(/escrow balance is 20 TASK/)
    expect(() => planFor('faucet', '100001', balances, c)).toThrow(/at most 100,000/)
    expect(() => planFor('deposit', '', balances, c)).toThrow('Enter an amount')
    expect(() => planFor('deposit', '-3', balances, c)).toThrow(/positive amount/)
    expect(() => planFor('buy', 'abc', balances, c)).toThrow(/ETH amount/)
    expect(() => planFor('buy', '0', balances, c)).toThrow(/more than zero/)
  })
})

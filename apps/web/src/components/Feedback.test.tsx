import { render, screen } from '@testing-library/react'
import { type Abi, type Address, RpcRequestError, encodeErrorResult, getContractError, parseEther } from 'viem'
import { describe, expect, it } from 'vitest'
import { abis } from '../lib/chain.ts'
import { ErrorNote } from './Feedback.tsx'

const account: Address = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const escrow: Address = '0x5FbDB2315678afecb367f032d93F642f64180aa3'

/**
 * What viem's estimateContractGas throws when the node refuses a call with a custom error: the RPC error
 * (code 3, the revert data) wrapped by getContractError in a ContractFunctionExecutionError.
 */
function revert(call: { abi: Abi; functionName: string; args: readonly unknown[] }, error: { abi: Abi; errorName: string; args: readonly unknown[] }) {
  const data = encodeErrorResult(error as never)
  const rpc = new RpcRequestError({ body: { method: 'eth_estimateGas' }, error: { code: 3, message: 'execution reverted', data }, url: 'http://127.0.0.1:8545' })
  return getContractError(rpc, { ...call, address: escrow, sender: account })
}

describe('a chain error as the web app shows it', () => {
  it('says what is in escrow and what to do, never the contract error name or viem’s dump', () => {
    const error = revert(
      { abi: abis.escrow, functionName: 'withdraw', args: [parseEther('100000')] },
      { abi: abis.escrow, errorName: 'TaskEscrowInsufficientBalance', args: [account, parseEther('366'), parseEther('100000')] },
    )
    // The shape is viem's own: the revert names the custom error.
    expect(error.walk((e) => (e as { data?: { errorName?: string } }).data?.errorName === 'TaskEscrowInsufficientBalance')).toBeTruthy()
    render(<ErrorNote error={error} />)
    const shown = screen.getByRole('alert').textContent
    expect(shown).toBe('You have 366 in escrow and this needs 100000; withdraw at most 366')
    expect(shown).not.toMatch(/TaskEscrow|viem|Contract Call|reverted|0x[0-9a-f]/i)
  })

  it('decodes a revert the token raised under an escrow call, and points at the Wallet page', () => {
    // deposit() pulls the tokens: the token's ERC20InsufficientBalance is not in the escrow's ABI.
    const error = revert(
      { abi: abis.escrow, functionName: 'deposit', args: [parseEther('5000')] },
      { abi: abis.token, errorName: 'ERC20InsufficientBalance', args: [account, parseEther('634'), parseEther('5000')] },
    )
    render(<ErrorNote error={error} />)
    const shown = screen.getByRole('alert').textContent
    expect(shown).toBe('You have 634 tokens in your wallet and this needs 5000; get more on the Wallet page')
    expect(shown).not.toMatch(/ERC20|taskmarket wallet|0x[0-9a-f]/i)
  })

  it('words every custom error of the market’s contracts without its name', () => {
    const contracts = [abis.escrow, abis.token, abis.sale, abis.registry] as readonly Abi[]
    const errors = contracts.flatMap((abi) => abi.flatMap((item) => (item.type === 'error' ? [{ abi, item }] : [])))
    expect(errors.length).toBeGreaterThan(60)
    for (const { abi, item } of errors) {
      const args = item.inputs.map((input) => sample(input.type))
      const { unmount } = render(<ErrorNote error={revert({ abi, functionName: 'call', args: [] }, { abi, errorName: item.name, args })} />)
      const shown = screen.getByRole('alert').textContent ?? ''
      expect(shown, item.name).not.toContain(item.name)
      expect(shown, item.name).toMatch(/^[A-Z0-9].{10,}/)
      unmount()
    }
  })
})

/** A value of an ABI type, for encoding an error's arguments. */
function sample(type: string): unknown {
  if (type === 'address') return account
  if (type === 'bytes32') return `0x${'ab'.repeat(32)}`
  if (type === 'string') return 'x'
  if (type === 'bool') return true
  if (/^u?int\d*$/.test(type)) return 1n
  throw new Error(`no sample for ${type}`)
}

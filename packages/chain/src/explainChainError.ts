import {
  type Abi,
  BaseError,
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  HttpRequestError,
  InsufficientFundsError,
  decodeErrorResult,
  formatEther,
} from 'viem'
import { ChainError } from './errors.ts'
import { NodeRegistry } from './generated/NodeRegistry.ts'
import { TaskEscrow } from './generated/TaskEscrow.ts'
import { TaskToken } from './generated/TaskToken.ts'
import { TokenSale } from './generated/TokenSale.ts'
import { AMOUNT_UNIT } from './settlement.ts'

/** Every custom error of the market's contracts: a revert bubbled up from the token decodes too. */
const errorAbi = [TaskEscrow, TaskToken, TokenSale, NodeRegistry].flatMap((c) => c.abi.filter((item) => item.type === 'error')) as Abi

const tokens = (v: unknown) => formatEther(BigInt(v as bigint))
const escrowDecimals = 18 - (String(AMOUNT_UNIT).length - 1)

/** What each custom error means to the person who sent the transaction, with its arguments in tokens. */
const sentences: Record<string, (args: readonly unknown[]) => string> = {
  TaskEscrowInsufficientBalance: ([, balance, needed]) => `you have ${tokens(balance)} in escrow and this needs ${tokens(needed)}; deposit more with taskmarket wallet deposit`,
  TaskEscrowInsufficientAllowance: ([, , allowance, needed]) => `the operator may lock ${tokens(allowance)} of your deposit for API posting and this needs ${tokens(needed)}; raise it with taskmarket wallet approve`,
  TaskEscrowZeroAmount: () => 'the amount must be greater than zero',
  TaskEscrowAmountNotAligned: ([amount]) => `${tokens(amount)} has more than ${escrowDecimals} decimals; the escrow counts whole units of 10^-${escrowDecimals} tokens`,
  TaskEscrowAmountExceedsLocked: ([, amount, locked]) => `the task has ${tokens(locked)} locked, less than ${tokens(amount)}`,
  TaskEscrowOrderExpired: () => 'the signed task order has expired; post the task again',
  TaskEscrowNonceUsed: () => 'this task order was already used; post the task again',
  TaskEscrowInvalidSignature: () => 'the task order’s signature is not the poster’s',
  TaskEscrowInvalidDeadline: ([deadline]) => `the deadline ${new Date(Number(deadline) * 1000).toISOString()} is in the past or too far ahead`,
  ERC20InsufficientBalance: ([, balance, needed]) => `you have ${tokens(balance)} tokens in your wallet and this needs ${tokens(needed)}; get more with taskmarket wallet buy`,
  ERC20InsufficientAllowance: ([, allowance, needed]) => `the escrow may take ${tokens(allowance)} of your tokens and this needs ${tokens(needed)}; approve more first`,
  ERC20ExceededCap: ([increased, cap]) => `this would mint past the token’s cap of ${tokens(cap)} (to ${tokens(increased)})`,
  TokenSaleFaucetDisabled: ([chainId]) => `the faucet works only on a local chain, not on chain ${chainId}; buy tokens with --eth instead`,
  TokenSaleFaucetLimitExceeded: ([amount, limit]) => `the faucet gives at most ${tokens(limit)} tokens at a time, not ${tokens(amount)}`,
  TokenSaleZeroAmount: () => 'the amount must be greater than zero',
  NodeRegistryInsufficientStake: ([, available, needed]) => `the node has ${tokens(available)} staked and this needs ${tokens(needed)}`,
  NodeRegistryCooldownActive: ([, readyAt]) => `the unstaked tokens can be withdrawn from ${new Date(Number(readyAt) * 1000).toISOString()}`,
  NodeRegistryNothingToWithdraw: () => 'nothing is waiting to be withdrawn from the node registry',
  NodeRegistryAlreadyRegistered: ([node]) => `node ${node} is already registered`,
  NodeRegistryNotRegistered: ([node]) => `node ${node} is not registered; taskmarket worker registers it on its first run`,
  NodeRegistryInvalidSolution: () => 'the proof-of-work solution was refused; run the worker again for a fresh challenge',
  NodeRegistryZeroAmount: () => 'the amount must be greater than zero',
  AccessControlUnauthorizedAccount: ([account]) => `${account} is not allowed to do this (it lacks the contract role)`,
}

/**
 * Turns an error from viem (a contract revert, an unreachable RPC, too little ETH for gas) into a ChainError
 * whose message is a plain sentence; anything else comes back undefined. The one place contract errors
 * become words, so no raw viem dump reaches a person.
 * @example explainChainError(e)?.message // 'withdraw: you have 366 in escrow and this needs 100000; …'
 */
export function explainChainError(error: unknown): ChainError | undefined {
  if (!(error instanceof BaseError)) return undefined
  const call = error instanceof ContractFunctionExecutionError ? `${error.functionName}: ` : ''
  const revert = error.walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null
  if (revert) {
    const decoded = revert.data ?? decode(revert.raw)
    const name = decoded?.errorName
    if (name) {
      const sentence = sentences[name]?.(decoded.args ?? []) ?? `the contract refused it (${name}${decoded.args?.length ? `: ${decoded.args.map(String).join(', ')}` : ''})`
      return new ChainError(name, `${call}${sentence}`, { cause: error })
    }
    return new ChainError('REVERTED', `${call}the contract refused it${revert.reason ? ` (${revert.reason})` : ''}`, { cause: error })
  }
  const unreachable = error.walk((e) => e instanceof HttpRequestError) as HttpRequestError | null
  if (unreachable) return new ChainError('CHAIN_UNREACHABLE', `could not reach the chain at ${unreachable.url}; give the right RPC URL with --rpc (or RPC_URL)`, { cause: error })
  if (error.walk((e) => e instanceof InsufficientFundsError)) return new ChainError('INSUFFICIENT_GAS_FUNDS', `${call}the account has too little ETH to pay for gas`, { cause: error })
  return new ChainError('CHAIN_ERROR', `${call}${error.shortMessage}`, { cause: error })
}

function decode(raw: `0x${string}` | undefined) {
  if (!raw || raw === '0x') return undefined
  try {
    return decodeErrorResult({ abi: errorAbi, data: raw })
  } catch {
    return undefined
  }
}

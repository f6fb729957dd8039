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
import { PartnerBondsConstants } from './generated/enums.ts'
import { NodeRegistry } from './generated/NodeRegistry.ts'
import { TaskEscrow } from './generated/TaskEscrow.ts'
import { TaskToken } from './generated/TaskToken.ts'
import { TokenSale } from './generated/TokenSale.ts'
import { AMOUNT_UNIT } from './settlement.ts'

/** Every custom error of the market's contracts: a revert bubbled up from the token decodes too. */
const errorAbi = [TaskEscrow, TaskToken, TokenSale, NodeRegistry].flatMap((c) => c.abi.filter((item) => item.type === 'error')) as Abi

const tokens = (v: unknown) => formatEther(BigInt(v as bigint))
const percent = (bps: unknown) => `${Number(bps) / 100}%`
const { MIN_SLA_UPTIME_BPS, MAX_SLA_UPTIME_BPS } = PartnerBondsConstants
const escrowDecimals = 18 - (String(AMOUNT_UNIT).length - 1)

/**
 * Where a person takes each step a sentence points at: a command of the CLI, or a page of the web app.
 * One table of sentences serves both; only these phrases differ.
 */
export type ChainRemedies = {
  /** More tokens into the escrow balance. */
  deposit: string
  /** A larger allowance for the operator to lock deposits for API posting. */
  approveOperator: string
  /** More tokens into the wallet. */
  buy: string
  /** Tokens bought with ETH where there is no faucet. */
  buyWithEth: string
  /** A node registered in the node registry. */
  register: string
  /** The right RPC endpoint of the chain. */
  rpc: string
}

/** The steps as the CLI's commands. */
export const cliRemedies: ChainRemedies = {
  deposit: 'deposit more with taskmarket wallet deposit',
  approveOperator: 'raise it with taskmarket wallet approve',
  buy: 'get more with taskmarket wallet buy',
  buyWithEth: 'buy tokens with --eth instead',
  register: 'taskmarket worker registers it on its first run',
  rpc: 'give the right RPC URL with --rpc (or RPC_URL)',
}

type Sentence = (args: readonly unknown[], how: ChainRemedies, call: string | undefined) => string

/** What each custom error a person can meet means to them, with its arguments in tokens and what to do. */
const sentences: Record<string, Sentence> = {
  TaskEscrowInsufficientBalance: ([, balance, needed], how, call) => `you have ${tokens(balance)} in escrow and this needs ${tokens(needed)}; ${call === 'withdraw' ? `withdraw at most ${tokens(balance)}` : how.deposit}`,
  TaskEscrowInsufficientAllowance: ([, , allowance, needed], how) => `the operator may lock ${tokens(allowance)} of your deposit for API posting and this needs ${tokens(needed)}; ${how.approveOperator}`,
  TaskEscrowZeroAmount: () => 'the amount must be greater than zero',
  TaskEscrowZeroAddress: () => 'the address must not be the zero address',
  TaskEscrowAmountNotAligned: ([amount]) => `${tokens(amount)} has more than ${escrowDecimals} decimals; the escrow counts whole units of 10^-${escrowDecimals} tokens`,
  TaskEscrowAmountExceedsLocked: ([, amount, locked]) => `the task has ${tokens(locked)} locked, less than ${tokens(amount)}`,
  TaskEscrowOrderExpired: () => 'the signed task order has expired; post the task again',
  TaskEscrowNonceUsed: () => 'this task order was already used; post the task again',
  TaskEscrowInvalidSignature: () => 'the task order’s signature is not the poster’s',
  TaskEscrowInvalidDeadline: ([deadline]) => `the deadline ${new Date(Number(deadline) * 1000).toISOString()} is in the past or too far ahead`,
  TaskEscrowTaskExists: () => 'this task is already in escrow; post it again as a new task',
  TaskEscrowNotPoster: ([, sender]) => `${sender} is not the poster this task’s id names; the poster posts it`,
  TaskEscrowTaskNotOpen: () => 'the task is not open in escrow (it is unknown, disputed, settled or refunded)',
  TaskEscrowRefundNotAllowed: () => 'the task cannot be refunded yet: wait until its deadline has passed (a disputed one, its grace period too)',
  ERC20InsufficientBalance: ([, balance, needed], how) => `you have ${tokens(balance)} tokens in your wallet and this needs ${tokens(needed)}; ${how.buy}`,
  ERC20InsufficientAllowance: ([, allowance, needed]) => `the escrow may take ${tokens(allowance)} of your tokens and this needs ${tokens(needed)}; approve more first`,
  ERC20ExceededCap: ([increased, cap]) => `this would mint past the token’s cap of ${tokens(cap)} (to ${tokens(increased)})`,
  ERC20InvalidReceiver: () => 'tokens cannot be sent to the zero address',
  ERC20InvalidSpender: () => 'the zero address cannot be allowed to spend tokens',
  SafeERC20FailedOperation: () => 'the token refused to move the tokens',
  TokenSaleFaucetDisabled: ([chainId], how) => `the faucet works only on a local chain, not on chain ${chainId}; ${how.buyWithEth}`,
  TokenSaleFaucetLimitExceeded: ([amount, limit]) => `the faucet gives at most ${tokens(limit)} tokens at a time, not ${tokens(amount)}`,
  TokenSaleZeroAmount: () => 'the amount must be greater than zero',
  TokenSaleZeroAddress: () => 'the tokens cannot go to the zero address',
  TokenSaleTreasuryTransferFailed: () => 'the sale could not pass the ETH on to the treasury; try again later',
  NodeRegistryInsufficientStake: ([, available, needed]) => `the node has ${tokens(available)} staked and this needs ${tokens(needed)}`,
  NodeRegistryCooldownActive: ([, readyAt]) => `the unstaked tokens can be withdrawn from ${new Date(Number(readyAt) * 1000).toISOString()}`,
  NodeRegistryNothingToWithdraw: () => 'nothing is waiting to be withdrawn from the node registry',
  NodeRegistryInsufficientBond: ([, available, needed]) => `the node has ${tokens(available)} bonded and this needs ${tokens(needed)}`,
  NodeRegistryBondCooldownActive: ([, readyAt]) => `the bond can be withdrawn from ${new Date(Number(readyAt) * 1000).toISOString()}`,
  NodeRegistrySlaOutOfBounds: ([uptime]) => `an SLA commits to between ${percent(MIN_SLA_UPTIME_BPS)} and ${percent(MAX_SLA_UPTIME_BPS)} uptime, not ${percent(uptime)}; 0 withdraws it`,
  NodeRegistryAlreadyRegistered: ([node]) => `node ${node} is already registered`,
  NodeRegistryNotRegistered: ([node], how) => `node ${node} is not registered; ${how.register}`,
  NodeRegistryInvalidSolution: () => 'the proof-of-work solution was refused; run the worker again for a fresh challenge',
  NodeRegistryZeroAmount: () => 'the amount must be greater than zero',
  AccessControlUnauthorizedAccount: ([account]) => `${account} is not allowed to do this (it lacks the contract role)`,
}

/** Which contract an error is named after, in words, for the errors without a sentence of their own. */
const contracts: [prefix: string, name: string][] = [
  ['TaskEscrow', 'the escrow'],
  ['NodeRegistry', 'the node registry'],
  ['TokenSale', 'the token sale'],
  ['ERC20', 'the token'],
]

export type ExplainChainErrorOptions = {
  /** How to take the steps the sentences point at; the CLI's commands unless given. */
  remedies?: ChainRemedies
  /** Start with the contract function that failed ("withdraw: …"): a CLI line needs it, a form beside its button does not. */
  nameCall?: boolean
}

/**
 * Turns an error from viem (a contract revert, an unreachable RPC, too little ETH for gas) into a ChainError
 * whose message is a plain sentence; anything else comes back undefined. The one place contract errors
 * become words, for the CLI and the web app alike, so no raw viem dump or error name reaches a person (the
 * name stays in `code`).
 * @example explainChainError(e)?.message // 'withdraw: you have 366 in escrow and this needs 100000; withdraw at most 366'
 */
export function explainChainError(error: unknown, { remedies = cliRemedies, nameCall = true }: ExplainChainErrorOptions = {}): ChainError | undefined {
  if (!(error instanceof BaseError)) return undefined
  const functionName = error instanceof ContractFunctionExecutionError ? error.functionName : undefined
  const call = functionName && nameCall ? `${functionName}: ` : ''
  const revert = error.walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null
  if (revert) {
    const decoded = revert.data ?? decode(revert.raw)
    const name = decoded?.errorName
    if (name) {
      const sentence = sentences[name]?.(decoded.args ?? [], remedies, functionName) ?? inWords(name)
      return new ChainError(name, `${call}${sentence}`, { cause: error })
    }
    return new ChainError('REVERTED', `${call}the contract refused it${revert.reason ? ` (${revert.reason})` : ''}`, { cause: error })
  }
  const unreachable = error.walk((e) => e instanceof HttpRequestError) as HttpRequestError | null
  if (unreachable) return new ChainError('CHAIN_UNREACHABLE', `could not reach the chain at ${unreachable.url}; ${remedies.rpc}`, { cause: error })
  if (error.walk((e) => e instanceof InsufficientFundsError)) return new ChainError('INSUFFICIENT_GAS_FUNDS', `${call}the account has too little ETH to pay for gas`, { cause: error })
  return new ChainError('CHAIN_ERROR', `${call}${error.shortMessage}`, { cause: error })
}

/**
 * An error without a sentence, in words: "TaskEscrowBatchTooLarge" is "the escrow refused it: batch too large".
 * Such errors are the operator's (settlement batches, fee schemes); a person meets the ones in the table.
 */
function inWords(name: string): string {
  const [prefix, contract] = contracts.find(([prefix]) => name.startsWith(prefix) && name.length > prefix.length) ?? ['', 'the contract']
  const words = name.slice(prefix.length).match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g) ?? []
  return `${contract} refused it: ${words.join(' ').toLowerCase()}`
}

function decode(raw: `0x${string}` | undefined) {
  if (!raw || raw === '0x') return undefined
  try {
    return decodeErrorResult({ abi: errorAbi, data: raw })
  } catch {
    return undefined
  }
}

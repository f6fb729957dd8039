/**
 * Helpers of the TaskEscrow test files: settle batches packed as the relayer packs them, the escrow's events
 * in a receipt, and reads and writes bound to a fixture.
 */
import {
  type EncodedTaskSettlement,
  type ReputationInput,
  type ShareInput,
  type SlashInput,
  TaskEscrow,
  encodeReputations,
  encodeSlash,
  encodeTaskSettlement,
} from '@taskmarket/chain'
import {
  type Address,
  type ContractEventName,
  type Hex,
  type TransactionReceipt,
  keccak256,
  parseEventLogs,
  toHex,
} from 'viem'
import type { Actor, Fixture } from './fixture.ts'

let batchNumber = 0

/** A batch id not used before in this test file. */
export const newBatchId = () => keccak256(toHex(`batch ${++batchNumber}`))

/** One task of a settle batch, packed by the relayer's encoder. */
export function settlement(
  taskId: Hex,
  amount: bigint,
  workers: ShareInput[],
  { close = true, validators = [] as ShareInput[] } = {},
): EncodedTaskSettlement {
  return encodeTaskSettlement({ taskId, amount, close, workers, validators })
}

/**
 * A settle batch paying `accounts` (the shares name them by index) for `tasks`, with the reputations and
 * slashes, packed by the relayer's encoders, it carries for the registry (none unless given).
 */
export function batch(
  accounts: Address[],
  tasks: EncodedTaskSettlement[],
  {
    batchId = newBatchId(),
    jobsRoot = keccak256('0x01'),
    reputations = [] as ReputationInput[],
    slashes = [] as SlashInput[],
  } = {},
) {
  return {
    batchId,
    jobsRoot,
    accounts,
    tasks,
    reputations: encodeReputations(reputations, accounts.length),
    slashes: slashes.map(encodeSlash),
  }
}

export type Batch = ReturnType<typeof batch>

/** The TaskEscrow events named `eventName` in `receipt`. */
export const events = <const name extends ContractEventName<typeof TaskEscrow.abi>>(
  receipt: TransactionReceipt,
  eventName: name,
) => parseEventLogs({ abi: TaskEscrow.abi, logs: receipt.logs, eventName })

/** Escrow reads and writes bound to `f`; they read `f` when called, so `useFixture()`'s object serves. */
export function escrowHelpers(f: Fixture) {
  return {
    /** `who`'s internal escrow balance. */
    balance: (who: { address: Address }) => f.escrow.read.balanceOf([who.address]),
    /** The tokens `who` holds. */
    tokens: (who: Address) => f.token.read.balanceOf([who]),
    /** Sends `b` to settle, by the operator unless `by` is given. */
    settle: (b: Batch, by: Actor = f.operator) => by.escrow.write.settle([b]),
    /** The three workers' addresses, accounts 0, 1 and 2 of a batch. */
    workerAddresses: () => f.workers.map((w) => w.address),
  }
}

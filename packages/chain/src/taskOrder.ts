import type { Address } from 'viem'

/** EIP-712 types of the order a poster signs so the operator may lock a task's reward (TaskEscrow.createTasksFor). */
export const taskOrderTypes = {
  TaskOrder: [
    { name: 'taskId', type: 'bytes32' },
    { name: 'amount', type: 'uint96' },
    { name: 'deadline', type: 'uint40' },
    { name: 'feeScheme', type: 'uint8' },
    { name: 'nonce', type: 'uint256' },
    { name: 'expiry', type: 'uint40' },
  ],
} as const

/** The escrow's EIP-712 domain on a chain. */
export function taskOrderDomain(chainId: number, escrow: Address) {
  return { name: 'TaskEscrow', version: '1', chainId, verifyingContract: escrow } as const
}

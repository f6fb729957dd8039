import type { Address } from 'viem'
import { foundry } from 'viem/chains'

export type PermitMessage = { owner: Address; spender: Address; value: bigint; nonce: bigint; deadline: bigint }

/** The EIP-712 typed data of an EIP-2612 permit of TaskToken on the local chain, ready for `signTypedData`. */
export function permitTypedData(token: Address, message: PermitMessage) {
  return {
    domain: { name: 'Task Market Token', version: '1', chainId: foundry.id, verifyingContract: token },
    types: {
      Permit: [
        { name: 'owner', type: 'address' },
        { name: 'spender', type: 'address' },
        { name: 'value', type: 'uint256' },
        { name: 'nonce', type: 'uint256' },
        { name: 'deadline', type: 'uint256' },
      ],
    },
    primaryType: 'Permit',
    message,
  } as const
}

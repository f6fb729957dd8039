import { type Account, type Chain, type Hex, createPublicClient, createWalletClient, http, keccak256, maxUint256, parseEther, toHex } from 'viem'
import type { ContractAddresses } from './contracts.ts'
import { NodeRegistry, NodeRegistryConstants, TaskToken, TokenSale } from './generated/index.ts'

/** NodeRegistry's LEVEL1_STAKE: what a node stakes to take compute work. */
export const LEVEL1_STAKE = NodeRegistryConstants.LEVEL1_STAKE

/**
 * Local chains only (anvil and the sale's faucet): registers fresh accounts as nodes with `stake` (the level-1 stake by default),
 * many at once. Each account's faucet drip, approval, registration and stake are sent in nonce order with
 * fixed gas and awaited together at the end, so hundreds of nodes take seconds, not minutes.
 * @example await stakeDevNodes({ rpcUrl, chain, addresses, accounts: [devAccount(5)] })
 */
export async function stakeDevNodes({ rpcUrl, chain, addresses, accounts, stake = LEVEL1_STAKE }: { rpcUrl: string; chain: Chain; addresses: ContractAddresses; accounts: Account[]; stake?: bigint }) {
  const transport = http(rpcUrl)
  const pub = createPublicClient({ chain, transport })
  const { token, sale, registry } = addresses
  const hashes = await Promise.all(accounts.map(async (account): Promise<Hex[]> => {
    await pub.request({ method: 'anvil_setBalance' as never, params: [account.address, toHex(parseEther('1'))] as never })
    const wallet = createWalletClient({ account, chain, transport })
    const base = { account, chain, gas: 300_000n } as const
    let nonce = await pub.getTransactionCount({ address: account.address })
    return [
      await wallet.writeContract({ ...base, nonce: nonce++, address: sale, abi: TokenSale.abi, functionName: 'faucet', args: [account.address, stake] }),
      await wallet.writeContract({ ...base, nonce: nonce++, address: token, abi: TaskToken.abi, functionName: 'approve', args: [registry, maxUint256] }),
      await wallet.writeContract({ ...base, nonce: nonce++, address: registry, abi: NodeRegistry.abi, functionName: 'registerNode', args: [keccak256(toHex(account.address))] }),
      await wallet.writeContract({ ...base, nonce: nonce++, address: registry, abi: NodeRegistry.abi, functionName: 'stake', args: [stake] }),
    ]
  }))
  for (const hash of hashes.flat()) {
    const receipt = await pub.waitForTransactionReceipt({ hash, pollingInterval: 20 })
    if (receipt.status !== 'success') throw new Error(`staking transaction ${hash} reverted`)
  }
}

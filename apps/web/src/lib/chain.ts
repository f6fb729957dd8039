import type { MarketConfig } from '@taskmarket/core'
import { type Address, type Chain, type EIP1193Provider, type PublicClient, type WalletClient, createPublicClient, custom, defineChain, http, parseEther, toHex } from 'viem'
// Only the generated ABIs: the rest of @taskmarket/chain (anvil, deploy) is for Node.
import { NodeRegistry, TaskEscrow, TaskToken, TokenSale } from '../../../../packages/chain/src/generated/index.ts'

export const abis = { token: TaskToken.abi, sale: TokenSale.abi, escrow: TaskEscrow.abi, registry: NodeRegistry.abi } as const

export type { MarketConfig }

export const LOCAL_CHAIN_ID = 31337

/** True on the local development chain (anvil): the faucet works and gas is free to top up. */
export function isLocalChain(config: Pick<MarketConfig, 'chain_id' | 'rpc_url'>): boolean {
  return config.chain_id === LOCAL_CHAIN_ID && !!config.rpc_url
}

export function injectedProvider(): EIP1193Provider | undefined {
  return (globalThis as { ethereum?: EIP1193Provider }).ethereum
}

/** The market's chain as viem describes it. */
export function marketChain(config: MarketConfig): Chain {
  const rpc = config.rpc_url ?? 'http://127.0.0.1:8545'
  return defineChain({
    id: config.chain_id,
    name: config.chain_id === LOCAL_CHAIN_ID ? 'Local development chain' : `Chain ${config.chain_id}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpc] } },
  })
}

/** A reader of the chain: the market's RPC when it publishes one (local chain), else the injected wallet. */
export function createReader(config: MarketConfig): PublicClient | undefined {
  const provider = injectedProvider()
  const transport = config.rpc_url ? http(config.rpc_url) : provider ? custom(provider) : undefined
  if (!transport) return undefined
  return createPublicClient({ chain: marketChain(config), transport, pollingInterval: 250 }) as PublicClient
}

/** The jobs root the escrow anchored for a settle batch (zero when it holds none). */
export async function readBatchRoot(reader: PublicClient, config: MarketConfig, batchId: `0x${string}`): Promise<`0x${string}`> {
  return reader.readContract({ address: config.contracts.escrow, abi: abis.escrow, functionName: 'batchRoot', args: [batchId] })
}

/**
 * On the local development chain a new wallet has no ETH for gas: top it up with anvil's dev RPC method
 * (what a worker does when it onboards). Elsewhere it does nothing; the wallet must hold ETH.
 */
export async function ensureGas(reader: PublicClient, config: MarketConfig, address: Address): Promise<boolean> {
  if (!isLocalChain(config)) return false
  const balance = await reader.getBalance({ address })
  if (balance >= parseEther('0.5')) return false
  await reader.request({ method: 'anvil_setBalance' as never, params: [address, toHex(parseEther('10'))] as never })
  return true
}

type ContractWrite = { address: Address; abi: readonly unknown[]; functionName: string; args?: readonly unknown[]; value?: bigint }

/**
 * Sends a contract call with a gas limit 25% above the estimate (+20k). An estimate made on the latest
 * block can fall short once the transaction lands in the next one (a new timestamp-keyed checkpoint costs
 * a fresh storage slot), and the call would then run out of gas and revert.
 */
export async function sendContract(signer: { address: Address; wallet: WalletClient }, reader: PublicClient, call: ContractWrite): Promise<`0x${string}`> {
  const request = { ...call, account: signer.address } as never
  const estimate = await reader.estimateContractGas(request)
  return signer.wallet.writeContract({ ...call, account: signer.wallet.account!, chain: signer.wallet.chain, gas: (estimate * 125n) / 100n + 20_000n } as never)
}

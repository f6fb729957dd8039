import { type Address, type Client, getContract } from 'viem'
import { NodeRegistry, TaskEscrow, TaskToken, TokenSale } from './generated/index.ts'

export type ContractAddresses = {
  token: Address
  sale: Address
  escrow: Address
  registry: Address
}

type Clients = Client | { public: Client; wallet?: Client }

/** Typed viem contract instances for a deployment, bound to `client` (public, wallet, or both). */
export function getTaskMarketContracts<const client extends Clients>(addresses: ContractAddresses, client: client) {
  return {
    token: getContract({ address: addresses.token, abi: TaskToken.abi, client }),
    sale: getContract({ address: addresses.sale, abi: TokenSale.abi, client }),
    escrow: getContract({ address: addresses.escrow, abi: TaskEscrow.abi, client }),
    registry: getContract({ address: addresses.registry, abi: NodeRegistry.abi, client }),
  }
}

export type TaskMarketContracts = ReturnType<typeof getTaskMarketContracts>

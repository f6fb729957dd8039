import { type Account, type Address, type EIP1193Provider, type Hex, type WalletClient, createWalletClient, custom, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { type MarketConfig, marketChain } from './chain.ts'

/** Who signs: the account the SDK signs messages and orders with, and a wallet client for transactions. */
export type Signer = {
  kind: 'local' | 'injected'
  address: Address
  account: Account
  wallet: WalletClient
  /** Makes sure the wallet is on the market's chain before a transaction. */
  ensureChain(): Promise<void>
}

/** A signer over a key held (decrypted) in this page. */
export function localSigner(privateKey: Hex, config: MarketConfig): Signer {
  const account = privateKeyToAccount(privateKey)
  const chain = marketChain(config)
  const wallet = createWalletClient({ account, chain, transport: http(config.rpc_url ?? chain.rpcUrls.default.http[0]) })
  return { kind: 'local', address: account.address, account, wallet, ensureChain: async () => {} }
}

/** A signer over an injected EIP-1193 wallet (MetaMask, Rabby, …); asks it for an account. */
export async function injectedSigner(provider: EIP1193Provider, config: MarketConfig, { prompt = true } = {}): Promise<Signer> {
  const chain = marketChain(config)
  const addresses = (await provider.request({ method: prompt ? 'eth_requestAccounts' : 'eth_accounts' })) as Address[]
  const address = addresses[0]
  if (!address) throw new Error('The browser wallet shared no account; unlock it and try again')
  const wallet = createWalletClient({ account: address, chain, transport: custom(provider) })
  // The SDK signs with an Account: route its two signing calls to the wallet.
  const account = {
    address,
    type: 'json-rpc',
    signMessage: ({ message }: { message: string }) => wallet.signMessage({ account: address, message }),
    signTypedData: (typed: any) => wallet.signTypedData({ account: address, ...typed }),
  } as unknown as Account
  async function ensureChain() {
    if ((await wallet.getChainId()) === chain.id) return
    try {
      await wallet.switchChain({ id: chain.id })
    } catch (error) {
      if ((error as { code?: number }).code !== 4902 && !String(error).includes('4902')) throw error
      await wallet.addChain({ chain })
    }
  }
  return { kind: 'injected', address, account, wallet, ensureChain }
}

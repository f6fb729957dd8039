import { join } from 'node:path'
import {
  type Deployment,
  type LocalChain,
  deploy,
  devPrivateKey,
  getTaskMarketContracts,
  startLocalChain,
} from '@taskmarket/chain'
import { createPublicClient, createWalletClient, defineChain, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import type { Config } from '../config.ts'

/** The chain as the server sees it: clients, the operator, the deployment and typed contracts. */
export async function connectChain(config: Config) {
  let local: LocalChain | undefined
  let rpcUrl = config.rpcUrl
  if (!rpcUrl) {
    local = await startLocalChain({ dataDir: join(config.home, 'chain') })
    rpcUrl = local.rpcUrl
  }
  const transport = http(rpcUrl, { batch: false, retryCount: 2 })
  const probe = createPublicClient({ transport })
  const chainId = await probe.getChainId()
  const chain = defineChain({
    id: chainId,
    name: chainId === 31337 ? 'Local' : `Chain ${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  })
  const operator = privateKeyToAccount(config.operatorKey ?? devPrivateKey(0))
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 100 })
  const walletClient = createWalletClient({ chain, transport, account: operator })
  const deployment: Deployment = await deploy({
    rpcUrl,
    chain,
    deployer: operator,
    deploymentFile: join(config.home, local ? 'deployment.json' : `deployment-${chainId}.json`),
  })
  const contracts = getTaskMarketContracts(deployment.addresses, { public: publicClient, wallet: walletClient })
  return {
    rpcUrl,
    chain,
    local,
    operator,
    publicClient,
    walletClient,
    deployment,
    contracts,
    async stop() {
      await local?.stop()
    },
  }
}

export type ChainService = Awaited<ReturnType<typeof connectChain>>

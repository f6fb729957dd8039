import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createPublicClient, createWalletClient, http, parseEther } from 'viem'
import { foundry } from 'viem/chains'
import { describe, expect, it } from 'vitest'
import { devAccount, deploy, getTaskMarketContracts, startLocalChain } from './index.ts'

describe('startLocalChain and deploy', () => {
  it('deploys once, keeps balances across a restart, and reuses the deployment', { timeout: 60_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tm-chain-'))
    const deploymentFile = join(dataDir, 'deployment.json')
    const alice = devAccount(1)

    let chain = await startLocalChain({ dataDir })
    const first = await deploy({ rpcUrl: chain.rpcUrl, deployer: devAccount(0), deploymentFile })
    const pub = createPublicClient({ chain: foundry, transport: http(chain.rpcUrl) })
    const blockAfterDeploy = await pub.getBlockNumber()
    expect(await deploy({ rpcUrl: chain.rpcUrl, deployer: devAccount(0), deploymentFile })).toEqual(first)
    expect(await pub.getBlockNumber()).toBe(blockAfterDeploy) // the second call sent nothing

    const c = getTaskMarketContracts(first.addresses, { public: pub, wallet: createWalletClient({ account: alice, chain: foundry, transport: http(chain.rpcUrl) }) })
    await pub.waitForTransactionReceipt({ hash: await c.sale.write.faucet([alice.address, parseEther('123')]) })
    const port = chain.port
    await chain.stop()
    expect(existsSync(chain.statePath)).toBe(true)
    expect(chain.process.exitCode !== null || chain.process.signalCode !== null).toBe(true)

    chain = await startLocalChain({ dataDir })
    try {
      expect(chain.port).toBe(port) // the same RPC URL as before, when the port is free
      const again = createPublicClient({ chain: foundry, transport: http(chain.rpcUrl) })
      const token = getTaskMarketContracts(first.addresses, again).token
      expect(await token.read.balanceOf([alice.address])).toBe(parseEther('123'))
      expect(await deploy({ rpcUrl: chain.rpcUrl, deployer: devAccount(0), deploymentFile })).toEqual(first)
    } finally {
      await chain.stop()
    }
  })
})

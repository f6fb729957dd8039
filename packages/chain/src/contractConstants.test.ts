import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ESCROW_DECIMALS, LEVEL1_STAKE_TOKENS, MAX_SHARES_PER_SETTLEMENT, TOKEN_DECIMALS, TRUST_LEVELS } from '@taskmarket/core'
import { createPublicClient, http, parseEther } from 'viem'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AMOUNT_UNIT, LEVEL1_STAKE, MAX_SHARES, type LocalChain, NodeRegistryConstants, deploy, devAccount, getTaskMarketContracts, startLocalChain } from './index.ts'

let chain: LocalChain
let contracts: ReturnType<typeof getTaskMarketContracts>
beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tm-constants-'))
  chain = await startLocalChain({ dataDir })
  const { addresses } = await deploy({ rpcUrl: chain.rpcUrl, deployer: devAccount(0), deploymentFile: join(dataDir, 'deployment.json') })
  contracts = getTaskMarketContracts(addresses, createPublicClient({ chain: foundry, transport: http(chain.rpcUrl) }))
}, 60_000)
afterAll(() => chain?.stop())

/** Limits the off-chain code states for itself (core is pure, the codec must not ask the chain) match the deployed contracts'. */
describe('contract constants off chain', () => {
  it('share limit: the escrow, the settlement codec and core’s settlement split', async () => {
    expect(await contracts.escrow.read.MAX_SHARES()).toBe(BigInt(MAX_SHARES))
    expect(MAX_SHARES_PER_SETTLEMENT).toBe(MAX_SHARES)
  })

  it('amount unit: the escrow, the chain package and core’s decimals', async () => {
    expect(await contracts.escrow.read.AMOUNT_UNIT()).toBe(AMOUNT_UNIT)
    expect(AMOUNT_UNIT).toBe(10n ** BigInt(TOKEN_DECIMALS - ESCROW_DECIMALS))
    expect(await contracts.token.read.decimals()).toBe(TOKEN_DECIMALS)
  })

  it('level-1 stake: the registry, the chain package and core', async () => {
    expect(await contracts.registry.read.LEVEL1_STAKE()).toBe(LEVEL1_STAKE)
    expect(LEVEL1_STAKE).toBe(parseEther(String(LEVEL1_STAKE_TOKENS)))
  })

  it('trust-level thresholds: the registry’s (generated) and core’s, which the web app and the API show', async () => {
    const [, basic, verified, trusted] = TRUST_LEVELS
    expect([basic.stakeTokens, verified.stakeTokens, trusted.stakeTokens].map((t) => parseEther(String(t)))).toEqual([
      NodeRegistryConstants.LEVEL1_STAKE, NodeRegistryConstants.LEVEL2_STAKE, NodeRegistryConstants.LEVEL3_STAKE,
    ])
    expect(await contracts.registry.read.LEVEL2_STAKE()).toBe(NodeRegistryConstants.LEVEL2_STAKE)
    expect(BigInt(verified.powPasses)).toBe(NodeRegistryConstants.LEVEL2_POW_PASSES)
    expect(BigInt(trusted.tasks)).toBe(NodeRegistryConstants.LEVEL3_TASKS)
    expect(BigInt(trusted.successBps)).toBe(NodeRegistryConstants.LEVEL3_SUCCESS_BPS)
  })
})

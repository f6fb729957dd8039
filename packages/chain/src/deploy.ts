import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import {
  type Account,
  type Address,
  type Chain,
  type Hex,
  createPublicClient,
  createWalletClient,
  getAddress,
  http,
  keccak256,
  parseEther,
  toHex,
} from 'viem'
import type { ContractAddresses } from './contracts.ts'
import { NodeRegistry, TaskEscrow, TaskToken, TokenSale } from './generated/index.ts'

export type DeployParameters = {
  rpcUrl: string
  chain?: Chain
  /** Deploys and becomes admin of every contract (later the governance timelock takes over). */
  deployer: Account
  /**
   * Gets OPERATOR_ROLE on the escrow and SLASHER/CHALLENGER roles on the registry (default: deployer). The
   * escrow gets RECORDER_ROLE and SLASHER_ROLE on the registry, for the counts, reputations and slashes of
   * settle batches.
   */
  operator?: Address
  /** Receives the sale's ETH and the fees (default: deployer). */
  treasury?: Address
  /** Wei per whole token (default 0.001 ETH, i.e. 1,000 tokens per ETH). */
  tokenPrice?: bigint
  /** Where the addresses are written; a second call with the same file reuses the deployment. */
  deploymentFile: string
}

export type Deployment = {
  chainId: number
  addresses: ContractAddresses
  operator: Address
  treasury: Address
  blockNumber: string
  deployedAt: string
}

export const roles = {
  MINTER: keccak256(toHex('MINTER_ROLE')),
  OPERATOR: keccak256(toHex('OPERATOR_ROLE')),
  DISPUTE: keccak256(toHex('DISPUTE_ROLE')),
  PARAMS: keccak256(toHex('PARAMS_ROLE')),
  SLASHER: keccak256(toHex('SLASHER_ROLE')),
  RECORDER: keccak256(toHex('RECORDER_ROLE')),
  CHALLENGER: keccak256(toHex('CHALLENGER_ROLE')),
} as const

/** Reads a deployment file if it exists and its contracts are on the chain. */
export async function loadDeployment(params: { rpcUrl: string; deploymentFile: string }): Promise<Deployment | undefined> {
  if (!existsSync(params.deploymentFile)) return undefined
  const deployment = JSON.parse(readFileSync(params.deploymentFile, 'utf8')) as Deployment
  const client = createPublicClient({ transport: http(params.rpcUrl) })
  if ((await client.getChainId()) !== deployment.chainId) return undefined
  for (const address of Object.values(deployment.addresses)) {
    const code = await client.getCode({ address })
    if (!code || code === '0x') return undefined
  }
  return deployment
}

/**
 * Deploys token, sale, escrow and registry, wires their roles and writes the deployment file.
 * Idempotent: when the file names contracts that exist on this chain, returns it unchanged.
 */
export async function deploy(params: DeployParameters): Promise<Deployment> {
  const existing = await loadDeployment(params)
  if (existing) return existing

  const transport = http(params.rpcUrl)
  const publicClient = createPublicClient({ chain: params.chain, transport })
  const wallet = createWalletClient({ account: params.deployer, chain: params.chain, transport })
  const admin = params.deployer.address
  const operator = params.operator ?? admin
  const treasury = params.treasury ?? admin

  const confirm = async (hash: Hex) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash })
    if (receipt.status !== 'success') throw new Error(`deployment transaction ${hash} reverted`)
    return receipt
  }
  const create = async (artifact: { abi: readonly unknown[]; bytecode: Hex }, args: readonly unknown[]) => {
    const receipt = await confirm(
      await wallet.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode, args } as never),
    )
    return getAddress(receipt.contractAddress as Address)
  }

  const token = await create(TaskToken, [admin])
  const sale = await create(TokenSale, [token, admin, treasury, params.tokenPrice ?? parseEther('0.001')])
  const escrow = await create(TaskEscrow, [token, admin, treasury])
  const registry = await create(NodeRegistry, [token, admin, treasury])

  const writes: { address: Address; abi: readonly unknown[]; functionName: string; args: readonly unknown[] }[] = [
    { address: token, abi: TaskToken.abi, functionName: 'grantRole', args: [roles.MINTER, sale] },
    { address: escrow, abi: TaskEscrow.abi, functionName: 'grantRole', args: [roles.OPERATOR, operator] },
    { address: escrow, abi: TaskEscrow.abi, functionName: 'grantRole', args: [roles.DISPUTE, operator] },
    { address: escrow, abi: TaskEscrow.abi, functionName: 'setRegistry', args: [registry] },
    { address: registry, abi: NodeRegistry.abi, functionName: 'grantRole', args: [roles.RECORDER, escrow] },
    { address: registry, abi: NodeRegistry.abi, functionName: 'grantRole', args: [roles.SLASHER, escrow] },
    { address: registry, abi: NodeRegistry.abi, functionName: 'grantRole', args: [roles.SLASHER, operator] },
    { address: registry, abi: NodeRegistry.abi, functionName: 'grantRole', args: [roles.CHALLENGER, operator] },
  ]
  let blockNumber = 0n
  for (const write of writes) blockNumber = (await confirm(await wallet.writeContract(write as never))).blockNumber

  const deployment: Deployment = {
    chainId: await publicClient.getChainId(),
    addresses: { token, sale, escrow, registry },
    operator,
    treasury,
    blockNumber: blockNumber.toString(),
    deployedAt: new Date().toISOString(),
  }
  mkdirSync(dirname(params.deploymentFile), { recursive: true })
  writeFileSync(params.deploymentFile, `${JSON.stringify(deployment, null, 2)}\n`)
  return deployment
}

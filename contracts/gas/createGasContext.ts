import { join } from 'node:path'
import {
  type Address,
  type Hash,
  type Hex,
  type PrivateKeyAccount,
  createPublicClient,
  createTestClient,
  createWalletClient,
  http,
  slice,
} from 'viem'
import { foundry } from 'viem/chains'
import { deploy, devAccount, getTaskMarketContracts, taskOrderDomain, taskOrderTypes } from '@taskmarket/chain'
import { permitTypedData } from '../test/permit.ts'

/** One measured transaction: a contract function and the gas of one representative call. */
export type GasRow = { contract: string; fn: string; gas: bigint; note?: string }

/** An account that sends transactions: a dev account or a generated key. */
export type GasAccount = PrivateKeyAccount | ReturnType<typeof devAccount>

/** An account that signs orders and permits. */
export type GasSigner = { address: Address; signTypedData: PrivateKeyAccount['signTypedData'] }

export type TaskOrderMessage = {
  taskId: Hex
  amount: bigint
  deadline: number
  feeScheme: number
  nonce: bigint
  expiry: number
}

export type GasContext = Awaited<ReturnType<typeof createGasContext>>

/**
 * The market deployed on the anvil at `rpcUrl` by dev account 0 (admin and operator), with what a
 * measurement needs: typed contracts per signer, `send` (the gas of a successful transaction), `measure`
 * (the same, also kept as a row), the chain's clock and order and permit signatures.
 */
export async function createGasContext(rpcUrl: string, dataDir: string) {
  const transport = http(rpcUrl)
  const publicClient = createPublicClient({ chain: foundry, transport, pollingInterval: 10, cacheTime: 0 })
  const testClient = createTestClient({ mode: 'anvil', chain: foundry, transport })
  const admin = devAccount(0)
  const treasury = devAccount(9)
  const { addresses } = await deploy({
    rpcUrl,
    deployer: admin,
    treasury: treasury.address,
    deploymentFile: join(dataDir, 'deployment.json'),
  })
  const as = (account: GasAccount) =>
    getTaskMarketContracts(addresses, {
      public: publicClient,
      wallet: createWalletClient({ account, chain: foundry, transport, pollingInterval: 10 }),
    })
  const rows: GasRow[] = []
  const send = async (hash: Promise<Hash>) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash })
    if (receipt.status !== 'success') throw new Error(`transaction ${receipt.transactionHash} reverted`)
    return receipt.gasUsed
  }
  const now = async () => Number((await publicClient.getBlock()).timestamp)
  return {
    testClient,
    addresses,
    admin,
    treasury,
    as,
    op: as(admin),
    read: getTaskMarketContracts(addresses, publicClient),
    rows,
    send,
    async measure(contract: string, fn: string, hash: Promise<Hash>, note?: string) {
      const gas = await send(hash)
      rows.push({ contract, fn, gas, note })
      return gas
    },
    now,
    async increaseTime(seconds: number) {
      await testClient.setNextBlockTimestamp({ timestamp: BigInt((await now()) + seconds) })
      await testClient.mine({ blocks: 1 })
    },
    signOrder(signer: GasSigner, order: TaskOrderMessage) {
      return signer.signTypedData({
        domain: taskOrderDomain(foundry.id, addresses.escrow),
        types: taskOrderTypes,
        primaryType: 'TaskOrder',
        message: order,
      })
    },
    /** `owner`'s EIP-2612 permit letting the escrow spend `value`, split as `permit` takes it. */
    async signPermit(owner: GasSigner, value: bigint, nonce: bigint, deadline: bigint) {
      const signature = await owner.signTypedData(
        permitTypedData(addresses.token, { owner: owner.address, spender: addresses.escrow, value, nonce, deadline }),
      )
      return {
        r: slice(signature, 0, 32),
        s: slice(signature, 32, 64),
        v: Number.parseInt(signature.slice(130, 132), 16),
      }
    },
  }
}

import { NodeRegistry, TaskToken, TokenSale } from '@taskmarket/chain'
import { type Account, type Address, type Chain, createPublicClient, createWalletClient, http, keccak256, maxUint256, parseEther, toHex } from 'viem'
import { solvePow } from './solvePow.ts'

export type OnboardingStep = { step: 'fund' | 'register' | 'stake' | 'pow'; status: 'start' | 'done' | 'skip'; detail?: string; fraction?: number }

/**
 * First run of a node on chain: register it, stake, and pass a proof-of-work challenge. On a local chain
 * (id 31337) it also funds itself (gas from anvil, tokens from the sale's faucet); elsewhere the key must
 * hold ETH and tokens. Every step is skipped when already done, so it is safe to run at every start.
 */
export async function onboardNode({
  account,
  rpcUrl,
  chain,
  contracts,
  stake = parseEther('100'),
  specs,
  onStep,
  signal,
}: {
  account: Account
  rpcUrl: string
  chain: Chain
  contracts: { token: Address; sale: Address; registry: Address }
  stake?: bigint
  specs: Record<string, unknown>
  onStep?: (s: OnboardingStep) => void
  signal?: AbortSignal
}) {
  const transport = http(rpcUrl)
  const pub = createPublicClient({ chain, transport, pollingInterval: 100 })
  const wallet = createWalletClient({ account, chain, transport })
  const send = async (request: Parameters<typeof wallet.writeContract>[0]) => {
    // A margin over the estimate: gas can differ between the estimated and the mined block (e.g. a
    // challenge issued in the same second as the previous one).
    const gas = await pub.estimateContractGas(request as never)
    const hash = await wallet.writeContract({ ...request, gas: (gas * 13n) / 10n } as never)
    const receipt = await pub.waitForTransactionReceipt({ hash })
    if (receipt.status !== 'success') throw new Error(`transaction ${hash} reverted`)
  }
  const base = { chain, account } as const
  const local = chain.id === 31337

  const node = await pub.readContract({ address: contracts.registry, abi: NodeRegistry.abi, functionName: 'getNode', args: [account.address] })
  const needTokens = node.stake < stake ? stake - node.stake : 0n
  if (local) {
    onStep?.({ step: 'fund', status: 'start' })
    if ((await pub.getBalance({ address: account.address })) < parseEther('1')) {
      await pub.request({ method: 'anvil_setBalance' as never, params: [account.address, toHex(parseEther('10'))] as never })
    }
    const tokens = await pub.readContract({ address: contracts.token, abi: TaskToken.abi, functionName: 'balanceOf', args: [account.address] })
    if (tokens < needTokens) await send({ ...base, address: contracts.sale, abi: TokenSale.abi, functionName: 'faucet', args: [account.address, needTokens - tokens] })
    onStep?.({ step: 'fund', status: 'done' })
  }

  if (!node.registered) {
    onStep?.({ step: 'register', status: 'start' })
    await send({ ...base, address: contracts.registry, abi: NodeRegistry.abi, functionName: 'registerNode', args: [keccak256(toHex(JSON.stringify(specs)))] })
    onStep?.({ step: 'register', status: 'done' })
  } else onStep?.({ step: 'register', status: 'skip', detail: 'already registered' })

  if (needTokens > 0n) {
    onStep?.({ step: 'stake', status: 'start', detail: `${needTokens / 10n ** 18n} tokens` })
    const allowance = await pub.readContract({ address: contracts.token, abi: TaskToken.abi, functionName: 'allowance', args: [account.address, contracts.registry] })
    if (allowance < needTokens) await send({ ...base, address: contracts.token, abi: TaskToken.abi, functionName: 'approve', args: [contracts.registry, maxUint256] })
    await send({ ...base, address: contracts.registry, abi: NodeRegistry.abi, functionName: 'stake', args: [needTokens] })
    onStep?.({ step: 'stake', status: 'done' })
  } else onStep?.({ step: 'stake', status: 'skip', detail: 'stake in place' })

  if (node.powPasses === 0) {
    onStep?.({ step: 'pow', status: 'start' })
    await send({ ...base, address: contracts.registry, abi: NodeRegistry.abi, functionName: 'issueChallenge', args: [account.address] })
    const challenge = await pub.readContract({ address: contracts.registry, abi: NodeRegistry.abi, functionName: 'getChallenge', args: [account.address] })
    const solution = await solvePow(challenge.seed, challenge.target, { signal, onProgress: (tries, expected) => onStep?.({ step: 'pow', status: 'start', fraction: Math.min(0.99, tries / expected) }) })
    await send({ ...base, address: contracts.registry, abi: NodeRegistry.abi, functionName: 'submitSolution', args: [solution.nonce] })
    onStep?.({ step: 'pow', status: 'done', detail: `${solution.tries} hashes in ${Math.round(solution.ms)} ms` })
  } else onStep?.({ step: 'pow', status: 'skip', detail: `${node.powPasses} challenges passed` })

  const trust = await pub.readContract({ address: contracts.registry, abi: NodeRegistry.abi, functionName: 'trustLevel', args: [account.address] })
  return { trustLevel: Number(trust) }
}

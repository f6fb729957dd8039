/**
 * Helpers of the NodeRegistry test files: the registry's events in a receipt, and reads and writes bound to a
 * fixture.
 */
import { NodeRegistry } from '@taskmarket/chain'
import {
  type Address,
  type ContractEventName,
  type TransactionReceipt,
  keccak256,
  maxUint256,
  parseEventLogs,
  toHex,
} from 'viem'
import type { Actor, Fixture } from './fixture.ts'
import { solveChallenge } from './pow.ts'

/** The metadata hash the tests register nodes with. */
export const META = keccak256(toHex('gpu: 1x A100, 80 GB'))

/** The NodeRegistry events named `eventName` in `receipt`. */
export const events = <const name extends ContractEventName<typeof NodeRegistry.abi>>(
  receipt: TransactionReceipt,
  eventName: name,
) => parseEventLogs({ abi: NodeRegistry.abi, logs: receipt.logs, eventName })

/** Registry reads and writes bound to `f`; they read `f` when called, so `useFixture()`'s object serves. */
export function registryHelpers(f: Fixture) {
  const node = (who: { address: Address }) => f.registry.read.getNode([who.address])
  const challenge = (who: { address: Address }) => f.registry.read.getChallenge([who.address])

  /** Registers `who` and stakes `amount` fresh tokens. */
  async function stakedNode(who: Actor, amount: bigint) {
    await f.tx(who.registry.write.registerNode([META]))
    if (amount === 0n) return
    await f.faucet(who, amount)
    await f.tx(who.token.write.approve([f.addresses.registry, maxUint256]))
    await f.tx(who.registry.write.stake([amount]))
  }

  /** Makes new challenges easy (~16 hashes) so tests that are not about the difficulty stay fast. */
  const easyPow = () => f.tx(f.admin.registry.write.setPowTarget([1n << 252n]))

  /** Issues a challenge to `who` (by itself) and answers it correctly. */
  async function passChallenge(who: Actor) {
    await f.tx(who.registry.write.issueChallenge([who.address]))
    const c = await challenge(who)
    return f.tx(who.registry.write.submitSolution([solveChallenge(c.seed, c.target)]))
  }

  return { node, challenge, stakedNode, easyPow, passChallenge }
}

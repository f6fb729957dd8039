/**
 * Helpers of the NodeRegistry test files: the registry's events in a receipt, and reads and writes bound to a
 * fixture.
 */
import { NodeRegistry, TaskEscrow, roles } from '@taskmarket/chain'
import {
  type Address,
  type ContractEventName,
  type Hex,
  type TransactionReceipt,
  keccak256,
  maxUint256,
  parseEther,
  parseEventLogs,
  toHex,
} from 'viem'
import { expect } from 'vitest'
import type { Actor, Fixture } from './fixture.ts'
import { solveChallenge } from './pow.ts'

/** The metadata hash the tests register nodes with. */
export const META = keccak256(toHex('gpu: 1x A100, 80 GB'))

/** A node's outcomes as `recordTaskResults` takes them: completed in bits 0..31, failed from bit 32. */
export const counts = (completed: number, failed: number) => BigInt(completed) | (BigInt(failed) << 32n)

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

  /** Gives RECORDER_ROLE to the spare account and adds `completed` and `failed` tasks to `who`'s counters. */
  async function recordTasks(who: { address: Address }, completed: number, failed = 0) {
    await f.grantRole('registry', roles.RECORDER, f.spare)
    return f.tx(f.spare.registry.write.recordTaskResults([[who.address], [counts(completed, failed)], []]))
  }

  /** Makes `who` a Trusted node (trust level 3): 10,000 staked, 10 PoW passes, 100 tasks completed. */
  async function trustedNode(who: Actor) {
    await stakedNode(who, parseEther('10000'))
    await easyPow()
    for (let i = 0; i < 10; i++) await passChallenge(who)
    await recordTasks(who, 100)
  }

  /**
   * Where every minted token is now, for the actors of the fixture and the tasks given: staked (stake,
   * unstaking, bond and its queue), in balances (wallets and escrow balances, the treasury's wallet apart),
   * locked in escrow, at the treasury, or burned (`burned`, counted from the events by the caller).
   */
  async function tokenLedger(tasks: readonly Hex[], burned: bigint) {
    const actors = Object.values(f.actors)
    const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n)
    const nodes = await Promise.all(actors.map((a) => node(a)))
    const partners = await Promise.all(actors.map((a) => f.registry.read.getPartner([a.address])))
    const stakes = sum(nodes.map((n) => n.stake + n.unstaking)) + sum(partners.map((p) => p.bond + p.unbonding))
    const wallets = await Promise.all(actors.filter((a) => a !== f.treasury).map((a) => f.token.read.balanceOf([a.address])))
    const ledger = await Promise.all(actors.map((a) => f.escrow.read.balanceOf([a.address])))
    const locked = sum(await Promise.all(tasks.map(async (t) => (await f.escrow.read.getTask([t])).locked)))
    const treasury = await f.token.read.balanceOf([f.treasury.address])
    expect(await f.token.read.balanceOf([f.addresses.registry]), 'registry tokens = stakes').toBe(stakes)
    expect(await f.token.read.balanceOf([f.addresses.escrow]), 'escrow tokens = balances + locked').toBe(
      sum(ledger) + locked,
    )
    return { stakes, balances: sum(wallets) + sum(ledger), locked, treasury, burned }
  }

  return { node, challenge, stakedNode, easyPow, passChallenge, recordTasks, trustedNode, tokenLedger }
}

/** The tokens burned by escrow batches and slashes in `receipt`. */
export function burnedIn(receipt: TransactionReceipt): bigint {
  const settled = parseEventLogs({ abi: TaskEscrow.abi, logs: receipt.logs, eventName: 'BatchSettled' })
  const slashed = parseEventLogs({
    abi: NodeRegistry.abi,
    logs: receipt.logs,
    eventName: ['NodeSlashed', 'NodeSlashedInBatch'],
  })
  return (
    settled.reduce((sum, e) => sum + e.args.burned, 0n) +
    slashed.reduce((sum, e) => sum + (e.args.burned ? e.args.amount : 0n), 0n)
  )
}

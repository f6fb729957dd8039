/** NodeRegistry proof-of-work challenges: issuing, answering, failing and expiring them. */
import { NodeRegistry } from '@taskmarket/chain'
import { encodeAbiParameters, keccak256, maxUint256 } from 'viem'
import { describe, expect, it } from 'vitest'
import { expectRevert, useFixture } from './fixture.ts'
import { events, registryHelpers } from './registry.ts'
import { solveChallenge } from './pow.ts'

const f = useFixture()
const { node, challenge, stakedNode, easyPow } = registryHelpers(f)

describe('NodeRegistry', () => {
  describe('proof-of-work challenges', () => {
    it('issues a challenge to a node that asks for one, with a seed from the chain', async () => {
      await stakedNode(f.worker1, 0n)
      const receipt = await f.tx(f.worker1.registry.write.issueChallenge([f.worker1.address]))
      const block = await f.publicClient.getBlock({ blockNumber: receipt.blockNumber })
      const c = await challenge(f.worker1)
      const seed = keccak256(
        encodeAbiParameters(
          [{ type: 'bytes32' }, { type: 'uint256' }, { type: 'address' }, { type: 'uint256' }],
          [block.parentHash, BigInt(block.mixHash), f.worker1.address, 1n],
        ),
      )
      expect(c).toEqual({
        seed,
        target: 1n << 240n,
        issuedAt: Number(block.timestamp),
        deadline: Number(block.timestamp) + 600,
        open: true,
      })
      expect(events(receipt, 'ChallengeIssued')[0].args).toEqual({
        node: f.worker1.address,
        seed,
        target: 1n << 240n,
        deadline: block.timestamp + 600n,
      })
    })

    it('lets CHALLENGER_ROLE challenge any node, and nobody else', async () => {
      await stakedNode(f.worker1, 0n)
      await expectRevert(
        f.outsider.registry.write.issueChallenge([f.worker1.address]),
        'NodeRegistryUnauthorizedChallenger',
        [f.outsider.address],
      )
      await f.tx(f.operator.registry.write.issueChallenge([f.worker1.address]))
      expect((await challenge(f.worker1)).open).toBe(true)
      await expectRevert(f.operator.registry.write.issueChallenge([f.outsider.address]), 'NodeRegistryNotRegistered', [
        f.outsider.address,
      ])
      await expectRevert(f.outsider.registry.write.issueChallenge([f.outsider.address]), 'NodeRegistryNotRegistered')
    })

    it('passes a brute-forced solution at the default target and records the measured power', async () => {
      await stakedNode(f.worker1, 0n)
      await f.tx(f.worker1.registry.write.issueChallenge([f.worker1.address]))
      const c = await challenge(f.worker1)
      const nonce = solveChallenge(c.seed, c.target) // ~65,000 hashes
      const receipt = await f.tx(f.worker1.registry.write.submitSolution([nonce]))
      const block = await f.publicClient.getBlock({ blockNumber: receipt.blockNumber })
      const solveTime = Number(block.timestamp) - c.issuedAt
      const power = maxUint256 / c.target / BigInt(Math.max(solveTime, 1))
      expect(await node(f.worker1)).toMatchObject({
        powPasses: 1,
        powFailures: 0,
        lastSolveTime: solveTime,
        verifiedPower: power,
      })
      expect((await challenge(f.worker1)).open).toBe(false)
      expect(events(receipt, 'ChallengeSolved')[0].args).toEqual({
        node: f.worker1.address,
        solveTime: BigInt(solveTime),
        verifiedPower: power,
      })
      await expectRevert(f.worker1.registry.write.submitSolution([nonce]), 'NodeRegistryNoOpenChallenge', [
        f.worker1.address,
      ])
    })

    it('refuses a wrong nonce and keeps the challenge open', async () => {
      await easyPow()
      await stakedNode(f.worker1, 0n)
      await f.tx(f.worker1.registry.write.issueChallenge([f.worker1.address]))
      const c = await challenge(f.worker1)
      const wrong = solveChallenge(c.seed, c.target, { valid: false })
      await expectRevert(f.worker1.registry.write.submitSolution([wrong]), 'NodeRegistryInvalidSolution', [
        f.worker1.address,
        wrong,
      ])
      await expectRevert(f.worker1.registry.write.issueChallenge([f.worker1.address]), 'NodeRegistryChallengeOpen', [
        f.worker1.address,
        BigInt(c.deadline),
      ])
      await f.tx(f.worker1.registry.write.submitSolution([solveChallenge(c.seed, c.target)]))
    })

    it('records a late answer as a failure', async () => {
      await easyPow()
      await stakedNode(f.worker1, 0n)
      await f.tx(f.worker1.registry.write.issueChallenge([f.worker1.address]))
      const c = await challenge(f.worker1)
      const nonce = solveChallenge(c.seed, c.target)
      await f.increaseTime(601)
      const { result } = await f.publicClient.simulateContract({
        address: f.addresses.registry,
        abi: NodeRegistry.abi,
        functionName: 'submitSolution',
        args: [nonce],
        account: f.worker1.address,
      })
      expect(result).toBe(false)
      const receipt = await f.tx(f.worker1.registry.write.submitSolution([nonce]))
      expect(events(receipt, 'ChallengeFailed')[0].args).toEqual({ node: f.worker1.address })
      expect(await node(f.worker1)).toMatchObject({ powPasses: 0, powFailures: 1 })
      expect((await challenge(f.worker1)).open).toBe(false)
    })

    it('lets anyone expire an overdue challenge, and a new challenge replaces an overdue one', async () => {
      await stakedNode(f.worker1, 0n)
      await expectRevert(
        f.outsider.registry.write.expireChallenge([f.worker1.address]),
        'NodeRegistryNoOpenChallenge',
        [f.worker1.address],
      )
      await f.tx(f.worker1.registry.write.issueChallenge([f.worker1.address]))
      const c = await challenge(f.worker1)
      await expectRevert(
        f.outsider.registry.write.expireChallenge([f.worker1.address]),
        'NodeRegistryChallengeNotExpired',
        [f.worker1.address, BigInt(c.deadline)],
      )
      await f.increaseTime(601)
      await f.tx(f.outsider.registry.write.expireChallenge([f.worker1.address]))
      expect(await node(f.worker1)).toMatchObject({ powFailures: 1 })
      expect((await challenge(f.worker1)).open).toBe(false)

      await f.tx(f.worker1.registry.write.issueChallenge([f.worker1.address]))
      await f.increaseTime(601)
      await f.tx(f.operator.registry.write.issueChallenge([f.worker1.address]))
      const next = await challenge(f.worker1)
      expect(next.open).toBe(true)
      expect(next.seed).not.toBe(c.seed)
      expect(await node(f.worker1)).toMatchObject({ powFailures: 2 })
    })
  })
})

import { NodeRegistry, roles } from '@taskmarket/chain'
import {
  type Address,
  type ContractEventName,
  type TransactionReceipt,
  encodeAbiParameters,
  keccak256,
  maxUint256,
  parseEther,
  parseEventLogs,
  stringToHex,
  toHex,
  zeroAddress,
} from 'viem'
import { describe, expect, it } from 'vitest'
import { type Actor, expectRevert, useFixture } from './fixture.ts'
import { solveChallenge } from './pow.ts'

const f = useFixture()
const DAY = 86_400
const META = keccak256(toHex('gpu: 1x A100, 80 GB'))

const node = (who: { address: Address }) => f.registry.read.getNode([who.address])
const challenge = (who: { address: Address }) => f.registry.read.getChallenge([who.address])
const events = <const name extends ContractEventName<typeof NodeRegistry.abi>>(
  receipt: TransactionReceipt,
  eventName: name,
) => parseEventLogs({ abi: NodeRegistry.abi, logs: receipt.logs, eventName })

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

describe('NodeRegistry', () => {
  it('starts with the documented parameters and roles', async () => {
    expect(await f.registry.read.token()).toBe(f.addresses.token)
    expect(await f.registry.read.treasury()).toBe(f.treasury.address)
    expect(await f.registry.read.unstakeCooldown()).toBe(BigInt(7 * DAY))
    expect(await f.registry.read.powTarget()).toBe(1n << 240n)
    expect(await f.registry.read.powWindow()).toBe(600n)
    expect(await f.registry.read.hasRole([roles.RECORDER, f.addresses.escrow])).toBe(true)
    expect(await f.registry.read.hasRole([roles.SLASHER, f.operator.address])).toBe(true)
    expect(await f.registry.read.hasRole([roles.CHALLENGER, f.operator.address])).toBe(true)
  })

  it('refuses to be deployed with a zero address', async () => {
    const deployWith = (args: readonly [Address, Address, Address]) =>
      f.admin.wallet.deployContract({ abi: NodeRegistry.abi, bytecode: NodeRegistry.bytecode, args })
    await expectRevert(deployWith([zeroAddress, f.admin.address, f.treasury.address]), 'NodeRegistryZeroAddress')
    await expectRevert(deployWith([f.addresses.token, zeroAddress, f.treasury.address]), 'NodeRegistryZeroAddress')
    await expectRevert(deployWith([f.addresses.token, f.admin.address, zeroAddress]), 'NodeRegistryZeroAddress')
  })

  describe('registration', () => {
    it('registers a node once, with its metadata hash', async () => {
      const receipt = await f.tx(f.worker1.registry.write.registerNode([META]))
      const block = await f.publicClient.getBlock({ blockNumber: receipt.blockNumber })
      expect(await node(f.worker1)).toMatchObject({
        registered: true,
        metadataHash: META,
        stake: 0n,
        registeredAt: Number(block.timestamp),
      })
      expect(events(receipt, 'NodeRegistered')[0].args).toEqual({ node: f.worker1.address, metadataHash: META })
      await expectRevert(f.worker1.registry.write.registerNode([META]), 'NodeRegistryAlreadyRegistered', [
        f.worker1.address,
      ])
    })

    it('updates the metadata of a registered node only', async () => {
      const next = keccak256(toHex('gpu: 2x A100'))
      await expectRevert(f.worker1.registry.write.updateMetadata([next]), 'NodeRegistryNotRegistered', [
        f.worker1.address,
      ])
      await f.tx(f.worker1.registry.write.registerNode([META]))
      const receipt = await f.tx(f.worker1.registry.write.updateMetadata([next]))
      expect((await node(f.worker1)).metadataHash).toBe(next)
      expect(events(receipt, 'NodeMetadataUpdated')[0].args).toEqual({ node: f.worker1.address, metadataHash: next })
    })
  })

  describe('stake', () => {
    it('stakes approved tokens into a registered node', async () => {
      await stakedNode(f.worker1, parseEther('60'))
      await f.faucet(f.worker1, parseEther('40'))
      const receipt = await f.tx(f.worker1.registry.write.stake([parseEther('40')]))
      expect((await node(f.worker1)).stake).toBe(parseEther('100'))
      expect(events(receipt, 'Staked')[0].args).toEqual({
        node: f.worker1.address,
        amount: parseEther('40'),
        totalStake: parseEther('100'),
      })
      expect(await f.token.read.balanceOf([f.addresses.registry])).toBe(parseEther('100'))
      expect(await f.token.read.balanceOf([f.worker1.address])).toBe(0n)
    })

    it('refuses nothing, an unregistered node and a missing approval', async () => {
      await expectRevert(f.worker1.registry.write.stake([1n]), 'NodeRegistryNotRegistered', [f.worker1.address])
      await f.tx(f.worker1.registry.write.registerNode([META]))
      await expectRevert(f.worker1.registry.write.stake([0n]), 'NodeRegistryZeroAmount')
      await f.faucet(f.worker1, 5n)
      await expectRevert(f.worker1.registry.write.stake([5n]), 'ERC20InsufficientAllowance', [
        f.addresses.registry,
        0n,
        5n,
      ])
    })

    it('queues stake for withdrawal after the cooldown', async () => {
      await stakedNode(f.worker1, parseEther('100'))
      const receipt = await f.tx(f.worker1.registry.write.requestUnstake([parseEther('30')]))
      const readyAt = (await f.now()) + 7 * DAY
      expect(await node(f.worker1)).toMatchObject({
        stake: parseEther('70'),
        unstaking: parseEther('30'),
        unstakeReadyAt: readyAt,
      })
      expect(events(receipt, 'UnstakeRequested')[0].args).toEqual({
        node: f.worker1.address,
        amount: parseEther('30'),
        readyAt: BigInt(readyAt),
      })

      await expectRevert(f.worker1.registry.write.withdrawStake(), 'NodeRegistryCooldownActive', [
        f.worker1.address,
        BigInt(readyAt),
      ])
      await f.increaseTime(7 * DAY)
      const withdrawn = await f.tx(f.worker1.registry.write.withdrawStake())
      expect(events(withdrawn, 'StakeWithdrawn')[0].args).toEqual({ node: f.worker1.address, amount: parseEther('30') })
      expect(await f.token.read.balanceOf([f.worker1.address])).toBe(parseEther('30'))
      expect(await node(f.worker1)).toMatchObject({ stake: parseEther('70'), unstaking: 0n })
      await expectRevert(f.worker1.registry.write.withdrawStake(), 'NodeRegistryNothingToWithdraw', [f.worker1.address])
    })

    it('restarts the cooldown for the whole queue on a new request', async () => {
      await stakedNode(f.worker1, parseEther('100'))
      await f.tx(f.worker1.registry.write.requestUnstake([parseEther('10')]))
      await f.increaseTime(6 * DAY)
      await f.tx(f.worker1.registry.write.requestUnstake([parseEther('10')]))
      await f.increaseTime(2 * DAY)
      await expectRevert(f.worker1.registry.write.withdrawStake(), 'NodeRegistryCooldownActive')
      await f.increaseTime(5 * DAY)
      await f.tx(f.worker1.registry.write.withdrawStake())
      expect(await f.token.read.balanceOf([f.worker1.address])).toBe(parseEther('20'))
    })

    it('refuses to unstake nothing, more than staked, or for an unregistered node', async () => {
      await expectRevert(f.worker1.registry.write.requestUnstake([1n]), 'NodeRegistryNotRegistered')
      await stakedNode(f.worker1, 10n)
      await expectRevert(f.worker1.registry.write.requestUnstake([0n]), 'NodeRegistryZeroAmount')
      await expectRevert(f.worker1.registry.write.requestUnstake([11n]), 'NodeRegistryInsufficientStake', [
        f.worker1.address,
        10n,
        11n,
      ])
    })
  })

  describe('slash', () => {
    it('burns from the stake, then from the unstaking queue', async () => {
      await stakedNode(f.worker1, parseEther('100'))
      await f.tx(f.worker1.registry.write.requestUnstake([parseEther('40')]))
      const supply = await f.token.read.totalSupply()
      const reason = keccak256(toHex('wrong result, task 7'))
      const receipt = await f.tx(f.operator.registry.write.slash([f.worker1.address, parseEther('80'), true, reason]))
      expect(await node(f.worker1)).toMatchObject({ stake: 0n, unstaking: parseEther('20') })
      expect(await f.token.read.totalSupply()).toBe(supply - parseEther('80'))
      expect(await f.token.read.balanceOf([f.addresses.registry])).toBe(parseEther('20'))
      expect(events(receipt, 'NodeSlashed')[0].args).toEqual({
        node: f.worker1.address,
        amount: parseEther('80'),
        burned: true,
        reason,
      })
    })

    it('sends slashed stake to the treasury when not burning', async () => {
      await stakedNode(f.worker1, parseEther('100'))
      const supply = await f.token.read.totalSupply()
      await f.tx(f.operator.registry.write.slash([f.worker1.address, parseEther('30'), false, keccak256('0x01')]))
      expect(await f.token.read.balanceOf([f.treasury.address])).toBe(parseEther('30'))
      expect(await f.token.read.totalSupply()).toBe(supply)
      expect((await node(f.worker1)).stake).toBe(parseEther('70'))
    })

    it('refuses more than the node holds, nothing, and callers without SLASHER_ROLE', async () => {
      await stakedNode(f.worker1, 100n)
      await f.tx(f.worker1.registry.write.requestUnstake([30n]))
      const reason = keccak256('0x01')
      await expectRevert(
        f.operator.registry.write.slash([f.worker1.address, 101n, true, reason]),
        'NodeRegistryInsufficientStake',
        [f.worker1.address, 100n, 101n],
      )
      await expectRevert(
        f.operator.registry.write.slash([f.worker1.address, 0n, true, reason]),
        'NodeRegistryZeroAmount',
      )
      await expectRevert(
        f.outsider.registry.write.slash([f.worker1.address, 1n, true, reason]),
        'AccessControlUnauthorizedAccount',
        [f.outsider.address, roles.SLASHER],
      )
    })
  })

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

  describe('task results', () => {
    it('adds outcomes for RECORDER_ROLE, skipping empty entries', async () => {
      await f.grantRole('registry', roles.RECORDER, f.spare)
      const receipt = await f.tx(
        f.spare.registry.write.recordTaskResults([
          [f.worker1.address, f.worker2.address, f.worker3.address],
          [3, 0, 1],
          [1, 0, 2],
        ]),
      )
      expect(await node(f.worker1)).toMatchObject({ tasksCompleted: 3, tasksFailed: 1 })
      expect(await node(f.worker3)).toMatchObject({ tasksCompleted: 1, tasksFailed: 2 })
      expect(events(receipt, 'TaskResultsRecorded').map((e) => e.args)).toEqual([
        { node: f.worker1.address, completed: 3n, failed: 1n },
        { node: f.worker3.address, completed: 1n, failed: 2n },
      ])
    })

    it('refuses mismatched lengths, too large a batch and callers without RECORDER_ROLE', async () => {
      await f.grantRole('registry', roles.RECORDER, f.spare)
      await expectRevert(
        f.spare.registry.write.recordTaskResults([[f.worker1.address], [1], []]),
        'NodeRegistryLengthMismatch',
      )
      await expectRevert(
        f.spare.registry.write.recordTaskResults([[f.worker1.address], [], [1]]),
        'NodeRegistryLengthMismatch',
      )
      const many = Array.from({ length: 1_025 }, () => f.worker1.address)
      await expectRevert(
        f.spare.registry.write.recordTaskResults([many, many.map(() => 1), many.map(() => 0)]),
        'NodeRegistryBatchTooLarge',
      )
      await expectRevert(
        f.operator.registry.write.recordTaskResults([[f.worker1.address], [1], [0]]),
        'AccessControlUnauthorizedAccount',
        [f.operator.address, roles.RECORDER],
      )
    })
  })

  describe('trustLevel', () => {
    it('climbs 0 → 1 → 2 → 3 with stake, PoW passes and a task record', async () => {
      const level = () => f.registry.read.trustLevel([f.worker1.address])
      expect(await level()).toBe(0) // not registered
      await stakedNode(f.worker1, parseEther('99'))
      expect(await level()).toBe(0)
      await f.faucet(f.worker1, parseEther('9901'))
      await f.tx(f.worker1.registry.write.stake([parseEther('1')]))
      expect(await level()).toBe(1) // 100 staked

      await f.tx(f.worker1.registry.write.stake([parseEther('900')]))
      expect(await level()).toBe(1) // 1,000 staked, no PoW yet
      await easyPow()
      for (let i = 0; i < 9; i++) await passChallenge(f.worker1)
      expect(await level()).toBe(1)
      await passChallenge(f.worker1)
      expect((await node(f.worker1)).powPasses).toBe(10)
      expect(await level()).toBe(2)

      await f.grantRole('registry', roles.RECORDER, f.spare)
      const record = (completed: number, failed: number) =>
        f.tx(f.spare.registry.write.recordTaskResults([[f.worker1.address], [completed], [failed]]))
      await record(190, 10) // exactly 95%
      expect(await level()).toBe(2) // 1,000 staked only
      await f.tx(f.worker1.registry.write.stake([parseEther('8999')]))
      expect(await level()).toBe(2) // 9,999 staked
      await f.tx(f.worker1.registry.write.stake([parseEther('1')]))
      expect(await level()).toBe(3) // 10,000 staked, 10 passes, 190 of 200 tasks
      await record(0, 1)
      expect(await level()).toBe(2) // 190 of 201 is below 95%
      await record(20, 0)
      expect(await level()).toBe(3)

      await f.tx(f.worker1.registry.write.requestUnstake([parseEther('1')]))
      expect(await level()).toBe(2) // queued stake does not count
    })

    it('needs 100 completed tasks for level 3, whatever the success rate', async () => {
      await stakedNode(f.worker1, parseEther('10000'))
      await easyPow()
      for (let i = 0; i < 10; i++) await passChallenge(f.worker1)
      await f.grantRole('registry', roles.RECORDER, f.spare)
      await f.tx(f.spare.registry.write.recordTaskResults([[f.worker1.address], [99], [0]]))
      expect(await f.registry.read.trustLevel([f.worker1.address])).toBe(2)
      await f.tx(f.spare.registry.write.recordTaskResults([[f.worker1.address], [1], [0]]))
      expect(await f.registry.read.trustLevel([f.worker1.address])).toBe(3)
    })
  })

  describe('parameters', () => {
    const setters = [
      { fn: 'setUnstakeCooldown', name: 'unstakeCooldown', min: 3_600n, max: 30n * 86_400n, read: 'unstakeCooldown' },
      { fn: 'setPowTarget', name: 'powTarget', min: 1n << 200n, max: 1n << 252n, read: 'powTarget' },
      { fn: 'setPowWindow', name: 'powWindow', min: 60n, max: 86_400n, read: 'powWindow' },
    ] as const

    for (const s of setters) {
      it(`${s.fn} accepts [${s.min}, ${s.max}] from PARAMS_ROLE only`, async () => {
        const set = (who: Actor, value: bigint) => who.registry.write[s.fn]([value])
        const name = stringToHex(s.name, { size: 32 })
        const old = await f.registry.read[s.read]()
        const receipt = await f.tx(set(f.admin, s.min))
        expect(events(receipt, 'ParameterUpdated')[0].args).toEqual({ name, oldValue: old, newValue: s.min })
        expect(await f.registry.read[s.read]()).toBe(s.min)
        await f.tx(set(f.admin, s.max))
        expect(await f.registry.read[s.read]()).toBe(s.max)
        await expectRevert(set(f.admin, s.min - 1n), 'NodeRegistryParameterOutOfBounds', [name, s.min - 1n])
        await expectRevert(set(f.admin, s.max + 1n), 'NodeRegistryParameterOutOfBounds', [name, s.max + 1n])
        await expectRevert(set(f.outsider, s.min), 'AccessControlUnauthorizedAccount', [
          f.outsider.address,
          roles.PARAMS,
        ])
      })
    }

    it('applies a new cooldown and PoW window to later requests', async () => {
      await f.tx(f.admin.registry.write.setUnstakeCooldown([3_600n]))
      await f.tx(f.admin.registry.write.setPowWindow([60n]))
      await stakedNode(f.worker1, 10n)
      await f.tx(f.worker1.registry.write.requestUnstake([10n]))
      expect((await node(f.worker1)).unstakeReadyAt).toBe((await f.now()) + 3_600)
      await f.tx(f.worker1.registry.write.issueChallenge([f.worker1.address]))
      const c = await challenge(f.worker1)
      expect(c.deadline - c.issuedAt).toBe(60)
    })

    it('sets the treasury that receives slashed stake', async () => {
      const receipt = await f.tx(f.admin.registry.write.setTreasury([f.spare.address]))
      expect(events(receipt, 'TreasuryUpdated')[0].args).toEqual({
        oldTreasury: f.treasury.address,
        newTreasury: f.spare.address,
      })
      await stakedNode(f.worker1, 10n)
      await f.tx(f.operator.registry.write.slash([f.worker1.address, 4n, false, keccak256('0x01')]))
      expect(await f.token.read.balanceOf([f.spare.address])).toBe(4n)
      await expectRevert(f.admin.registry.write.setTreasury([zeroAddress]), 'NodeRegistryZeroAddress')
      await expectRevert(
        f.outsider.registry.write.setTreasury([f.outsider.address]),
        'AccessControlUnauthorizedAccount',
        [f.outsider.address, roles.PARAMS],
      )
    })
  })
})

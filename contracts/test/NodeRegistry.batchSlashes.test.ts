/** Slashes sent with a settle batch: applied by the registry in one call, to the treasury or burned, capped at what a node holds. */
import { SlashReason, type SlashInput, encodeSlash, roles } from '@taskmarket/chain'
import { keccak256, parseEther, toHex, zeroAddress } from 'viem'
import { describe, expect, it } from 'vitest'
import { expectRevert, useFixture } from './fixture.ts'
import { batch, escrowHelpers, settlement } from './escrow.ts'
import { burnedIn, events, registryHelpers } from './registry.ts'

const f = useFixture()
const { settle } = escrowHelpers(f)
const { node, stakedNode, tokenLedger } = registryHelpers(f)

const STAKE = parseEther('1000')
/** A slash of account `account` of the batch: 5% of its stake for a wrong result, to the treasury, unless told. */
const slashOf = (account: number, rest: Partial<SlashInput> = {}): SlashInput => ({
  account,
  reason: 'WrongResult',
  amount: 500n,
  unit: 'bps',
  burn: false,
  ban: false,
  ...rest,
})

describe('NodeRegistry', () => {
  describe('slashes in a settle batch', () => {
    it('pays the task, slashes the outvoted and the timed-out node, and loses no token', async () => {
      let minted = 0n
      for (const w of [...f.workers, f.validator]) {
        await stakedNode(w, STAKE)
        minted += STAKE
      }
      const task = await f.openTask(f.poster, { amount: parseEther('10') })
      minted += task.amount
      const accounts = [...f.workers, f.validator].map((w) => w.address)
      const b = batch(
        accounts,
        [settlement(task.taskId, task.amount, [{ account: 0, weight: 1 }, { account: 1, weight: 0 }, { account: 2, weight: 1 }])],
        {
          slashes: [
            slashOf(1), // outvoted: 5% of 1,000 to the treasury
            slashOf(3, { reason: 'TaskTimeout', amount: parseEther('7'), unit: 'tokens', burn: true }),
          ],
        },
      )
      const supply = await f.token.read.totalSupply()
      const receipt = await f.tx(settle(b))

      expect(events(receipt, 'NodeSlashedInBatch').map((e) => e.args)).toEqual([
        { node: f.worker2.address, batchId: b.batchId, reason: SlashReason.WrongResult, amount: parseEther('50'), burned: false, banned: false },
        { node: f.validator.address, batchId: b.batchId, reason: SlashReason.TaskTimeout, amount: parseEther('7'), burned: true, banned: false },
      ])
      expect(await node(f.worker2)).toMatchObject({ stake: parseEther('950'), slashed: true, tasksFailed: 1 })
      expect(await node(f.validator)).toMatchObject({ stake: parseEther('993'), slashed: true, tasksFailed: 0 })
      expect(await node(f.worker1)).toMatchObject({ stake: STAKE, slashed: false, tasksCompleted: 1 })
      expect(await f.token.read.balanceOf([f.treasury.address])).toBe(parseEther('50'))
      expect(await f.token.read.totalSupply()).toBe(supply - parseEther('7'))

      const burned = burnedIn(receipt)
      expect(burned).toBe(parseEther('7'))
      const { stakes, balances, locked, treasury } = await tokenLedger([task.taskId], burned)
      expect(stakes + balances + locked + treasury + burned).toBe(minted)
      expect(await f.token.read.totalSupply()).toBe(minted - burned)
      expect(stakes).toBe(4n * STAKE - parseEther('57'))
    })

    it('takes at most what a node holds: stake, then its unstaking queue, then its bond', async () => {
      await stakedNode(f.worker1, parseEther('100'))
      await f.tx(f.worker1.registry.write.requestUnstake([parseEther('20')]))
      await f.faucet(f.worker1, parseEther('30'))
      await f.tx(f.worker1.registry.write.postBond([parseEther('30')]))
      await stakedNode(f.worker2, 0n)
      const b = batch([f.worker1.address, f.worker2.address], [], {
        slashes: [
          slashOf(0, { amount: parseEther('1000'), unit: 'tokens', burn: true }),
          slashOf(1, { reason: 'TaskTimeout' }), // holds nothing: takes nothing, says so
        ],
      })
      const receipt = await f.tx(settle(b))
      expect(events(receipt, 'NodeSlashedInBatch').map((e) => [e.args.node, e.args.amount])).toEqual([
        [f.worker1.address, parseEther('130')],
        [f.worker2.address, 0n],
      ])
      expect(await node(f.worker1)).toMatchObject({ stake: 0n, unstaking: 0n, slashed: true })
      expect(await f.registry.read.getPartner([f.worker1.address])).toMatchObject({ bond: 0n, unbonding: 0n })
      expect((await node(f.worker2)).slashed).toBe(false)
      expect(await f.token.read.balanceOf([f.addresses.registry])).toBe(0n)
      expect(burnedIn(receipt)).toBe(parseEther('130'))
    })

    it('takes basis points of the stake and its queue, and bans a node for misuse', async () => {
      await stakedNode(f.worker1, parseEther('800'))
      await f.tx(f.worker1.registry.write.requestUnstake([parseEther('200')]))
      const b = batch([f.worker1.address], [], {
        slashes: [slashOf(0, { reason: 'Misuse', amount: 5_000n, ban: true })],
      })
      const receipt = await f.tx(settle(b))
      // Half of 600 staked and 200 queued, all of it from the stake.
      expect(events(receipt, 'NodeSlashedInBatch')[0].args).toMatchObject({ amount: parseEther('400'), banned: true })
      expect(await node(f.worker1)).toMatchObject({ stake: parseEther('200'), unstaking: parseEther('200'), banned: true })
      expect(await f.registry.read.trustLevel([f.worker1.address])).toBe(0)
      // The banned node may still take back what is left of its stake.
      await f.increaseTime(7 * 86_400)
      await f.tx(f.worker1.registry.write.withdrawStake())
      expect(await f.token.read.balanceOf([f.worker1.address])).toBe(parseEther('200'))
    })

    it('applies a batch’s slashes in order, and a batch without any leaves the stakes alone', async () => {
      await stakedNode(f.worker1, STAKE)
      const task = await f.openTask(f.poster)
      const plain = await f.tx(settle(batch([f.worker1.address], [settlement(task.taskId, task.amount, [{ account: 0, weight: 1 }])])))
      const fromRegistry = plain.logs.filter((l) => l.address.toLowerCase() === f.addresses.registry.toLowerCase())
      expect(fromRegistry).toHaveLength(1) // TaskResultsRecorded, and no slash
      expect((await node(f.worker1)).stake).toBe(STAKE)

      const receipt = await f.tx(settle(batch([f.worker1.address], [], { slashes: [slashOf(0), slashOf(0)] })))
      expect(events(receipt, 'NodeSlashedInBatch').map((e) => e.args.amount)).toEqual([parseEther('50'), parseEther('47.5')])
    })

    it('refuses malformed slashes, indexes past the accounts, too many slashes, and a batch without a registry', async () => {
      await stakedNode(f.worker1, STAKE)
      const accounts = [f.worker1.address]
      const word = encodeSlash(slashOf(0))
      const withWord = (w: bigint) => ({ ...batch(accounts, []), slashes: [w] })
      const malformed = [
        word | (1n << 123n), // an unknown bit
        word & ~(0xffn << 112n), // reason None
        (word & ~(0xffn << 112n)) | (5n << 112n), // past the last reason
        word & ~((1n << 96n) - 1n), // nothing
        (word & ~((1n << 96n) - 1n)) | 5_001n, // more than MAX_SLASH_BPS
      ]
      for (const w of malformed) await expectRevert(settle(withWord(w)), 'NodeRegistryMalformedSlash', [w])
      await expectRevert(settle(batch(accounts, [], { slashes: [slashOf(1)] })), 'NodeRegistryInvalidAccountIndex', [1n])
      const many = Array.from({ length: 257 }, () => slashOf(0, { amount: 1n }))
      await expectRevert(settle(batch(accounts, [], { slashes: many })), 'NodeRegistryBatchTooLarge')

      await f.tx(f.admin.escrow.write.setRegistry([zeroAddress]))
      await expectRevert(settle(batch(accounts, [], { slashes: [slashOf(0)] })), 'TaskEscrowNoRegistry')
      expect((await node(f.worker1)).stake).toBe(STAKE)
    })

    it('is the escrow’s (SLASHER_ROLE) to call', async () => {
      const batchId = keccak256(toHex('direct'))
      await expectRevert(
        f.outsider.registry.write.slashInBatch([batchId, [f.worker1.address], [encodeSlash(slashOf(0))]]),
        'AccessControlUnauthorizedAccount',
        [f.outsider.address, roles.SLASHER],
      )
    })
  })
})

/** Reputations the market computes off chain, stored in the registry with a settle batch's task counts. */
import { encodeReputations, roles } from '@taskmarket/chain'
import { type Address, getAddress, keccak256, slice, toHex, zeroAddress } from 'viem'
import { describe, expect, it } from 'vitest'
import { expectRevert, useFixture } from './fixture.ts'
import { batch, escrowHelpers, settlement } from './escrow.ts'
import { counts, events, registryHelpers } from './registry.ts'

const f = useFixture()
const { settle, workerAddresses } = escrowHelpers(f)
const { node } = registryHelpers(f)

const reputationOf = async (who: { address: Address }) => (await node(who)).reputation

describe('NodeRegistry', () => {
  describe('reputation', () => {
    it('is stored with the task counts of a settle batch, for the accounts it names', async () => {
      const task = await f.openTask(f.poster)
      const accounts = [...workerAddresses(), f.validator.address]
      const shares = [{ account: 0, weight: 1 }, { account: 1, weight: 0 }]
      const b = batch(accounts, [settlement(task.taskId, task.amount, shares)], {
        reputations: [
          { account: 0, bps: 9_800 },
          { account: 1, bps: 7_350 },
          { account: 3, bps: 10_000 }, // paid nothing in this batch, still recorded
        ],
      })
      const receipt = await f.tx(settle(b))
      expect(events(receipt, 'ReputationRecorded').map((e) => e.args)).toEqual([
        { node: f.worker1.address, reputation: 9_800n },
        { node: f.worker2.address, reputation: 7_350n },
        { node: f.validator.address, reputation: 10_000n },
      ])
      expect(events(receipt, 'TaskResultsRecorded').map((e) => e.args.node)).toEqual([f.worker1.address, f.worker2.address])
      expect(await node(f.worker1)).toMatchObject({ reputation: 9_800, tasksCompleted: 1, tasksFailed: 0 })
      expect(await node(f.worker2)).toMatchObject({ reputation: 7_350, tasksCompleted: 0, tasksFailed: 1 })
      expect(await node(f.validator)).toMatchObject({ reputation: 10_000, tasksCompleted: 0 })
      expect(await reputationOf(f.worker3)).toBe(0)
    })

    it('changes only where a batch sets it, down to zero', async () => {
      const accounts = workerAddresses()
      await f.tx(settle(batch(accounts, [], { reputations: [{ account: 0, bps: 5_000 }, { account: 2, bps: 6_000 }] })))
      const receipt = await f.tx(settle(batch(accounts, [], { reputations: [{ account: 2, bps: 0 }] })))
      expect(events(receipt, 'ReputationRecorded').map((e) => e.args)).toEqual([{ node: f.worker3.address, reputation: 0n }])
      expect(await reputationOf(f.worker1)).toBe(5_000)
      expect(await reputationOf(f.worker3)).toBe(0)
      const none = await f.tx(settle(batch(accounts, [])))
      expect(none.logs.filter((l) => l.address.toLowerCase() === f.addresses.registry.toLowerCase())).toEqual([])
      expect(await reputationOf(f.worker1)).toBe(5_000)
    })

    it('spans words: sixteen accounts to a word', async () => {
      await f.grantRole('registry', roles.RECORDER, f.spare)
      const nodes = Array.from({ length: 17 }, (_, i) => getAddress(slice(keccak256(toHex(`node ${i}`)), 12)))
      const words = encodeReputations([{ account: 15, bps: 1_500 }, { account: 16, bps: 1_600 }], nodes.length)
      expect(words).toHaveLength(2)
      await f.tx(f.spare.registry.write.recordTaskResults([nodes, nodes.map(() => 0n), words]))
      expect((await f.registry.read.getNode([nodes[15]])).reputation).toBe(1_500)
      expect((await f.registry.read.getNode([nodes[16]])).reputation).toBe(1_600)
      expect((await f.registry.read.getNode([nodes[0]])).reputation).toBe(0)
    })

    it('refuses entries that are not 0x8000 | bps, entries past the accounts and the wrong number of words', async () => {
      await f.grantRole('registry', roles.RECORDER, f.spare)
      const nodes = workerAddresses()
      const record = (words: bigint[]) => f.spare.registry.write.recordTaskResults([nodes, [counts(1, 0), 0n, 0n], words])
      await expectRevert(record([0x1234n << 16n]), 'NodeRegistryMalformedReputation', [1n]) // no set bit
      await expectRevert(record([(0x8000n | 10_001n) << 32n]), 'NodeRegistryMalformedReputation', [2n])
      await expectRevert(record([0x8000n << 48n]), 'NodeRegistryMalformedReputation', [3n]) // a fourth account
      await expectRevert(record([0n, 0n]), 'NodeRegistryLengthMismatch')
      await f.tx(record([0x8000n | 10_000n]))
      expect(await node(f.worker1)).toMatchObject({ reputation: 10_000, tasksCompleted: 1 })
    })

    it('is not kept while the escrow has no registry, as the counts are not', async () => {
      await f.tx(f.admin.escrow.write.setRegistry([zeroAddress]))
      await f.tx(settle(batch(workerAddresses(), [], { reputations: [{ account: 0, bps: 9_000 }] })))
      expect(await reputationOf(f.worker1)).toBe(0)
    })
  })
})

import type { Database } from '@taskmarket/db'
import { NodeRegistry, TaskEscrow, TaskToken, TokenSale } from '@taskmarket/chain'
import { type Log, parseEventLogs } from 'viem'
import { lastIndexedBlock, saveChainEvent, setLastIndexedBlock } from '../repositories/chainEvents.ts'
import type { ChainService } from './chain.ts'

const abi = [...TaskToken.abi, ...TokenSale.abi, ...TaskEscrow.abi, ...NodeRegistry.abi]
const MAX_RANGE = 2_000n

/** Copies the market contracts' events into `chain_events`, tagged with every address they mention,
 * so that wallet history is one indexed query. Resumes from the last indexed block. */
export function createIndexer({ db, chain, log }: { db: Database; chain: ChainService; log: { warn(o: object, m?: string): void } }) {
  const addresses = Object.values(chain.deployment.addresses)
  const names = new Map(Object.entries(chain.deployment.addresses).map(([name, a]) => [a.toLowerCase(), name]))
  return {
    async tick() {
      const last = await lastIndexedBlock(db)
      const head = await chain.publicClient.getBlockNumber()
      let from = last !== undefined ? last + 1n : BigInt(chain.deployment.blockNumber) - 10n > 0n ? BigInt(chain.deployment.blockNumber) - 10n : 0n
      if (last !== undefined && last > head) {
        log.warn({ last: last.toString(), head: head.toString() }, 'chain is behind the index (restarted?); reindexing from its head')
        from = head
      }
      while (from <= head) {
        const to = from + MAX_RANGE - 1n < head ? from + MAX_RANGE - 1n : head
        const logs = await chain.publicClient.getLogs({ address: addresses, fromBlock: from, toBlock: to })
        const parsed = parseEventLogs({ abi, logs: logs as Log[], strict: false })
        const times = new Map<bigint, number>()
        await db.transaction(async (tx) => {
          for (const e of parsed) {
            if (!times.has(e.blockNumber)) times.set(e.blockNumber, Number((await chain.publicClient.getBlock({ blockNumber: e.blockNumber })).timestamp))
            const args = JSON.parse(JSON.stringify(e.args ?? {}, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)))
            const accounts = Object.values(args).filter((v): v is string => typeof v === 'string' && /^0x[0-9a-fA-F]{40}$/.test(v)).map((a) => a.toLowerCase())
            for (const v of Object.values(args)) if (typeof v === 'string' && /^0x[0-9a-fA-F]{64}$/.test(v) && e.eventName.startsWith('Task')) accounts.push(`0x${v.slice(2, 42)}`.toLowerCase())
            await saveChainEvent(tx, {
              blockNumber: e.blockNumber,
              logIndex: e.logIndex,
              txHash: e.transactionHash,
              contract: names.get(e.address.toLowerCase()) ?? e.address,
              event: e.eventName,
              args,
              accounts: [...new Set(accounts)],
              blockTime: times.get(e.blockNumber),
            })
          }
          await setLastIndexedBlock(tx, to)
        })
        from = to + 1n
      }
    },
  }
}

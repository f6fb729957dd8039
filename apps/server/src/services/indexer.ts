import type { Database } from '@taskmarket/db'
import { NodeRegistry, TaskEscrow, TaskToken, TokenSale } from '@taskmarket/chain'
import { type Log, parseEventLogs } from 'viem'
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
      const [state] = await db.query<{ last_block: string }>('SELECT last_block::text AS last_block FROM indexer_state WHERE id = 1')
      const head = await chain.publicClient.getBlockNumber()
      let from = state ? BigInt(state.last_block) + 1n : BigInt(chain.deployment.blockNumber) - 10n > 0n ? BigInt(chain.deployment.blockNumber) - 10n : 0n
      if (state && BigInt(state.last_block) > head) {
        log.warn({ last: state.last_block, head: head.toString() }, 'chain is behind the index (restarted?); reindexing from its head')
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
            await tx.query(
              `INSERT INTO chain_events (block_number, log_index, tx_hash, contract, event, args, accounts, block_time)
               VALUES ($1,$2,$3,$4,$5,$6,$7,to_timestamp($8)) ON CONFLICT (block_number, log_index) DO UPDATE SET tx_hash = $3, event = $5, args = $6, accounts = $7`,
              [e.blockNumber.toString(), e.logIndex, e.transactionHash, names.get(e.address.toLowerCase()) ?? e.address, e.eventName, JSON.stringify(args), [...new Set(accounts)], times.get(e.blockNumber)],
            )
          }
          await tx.query(
            `INSERT INTO indexer_state (id, last_block) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET last_block = $1`,
            [to.toString()],
          )
        })
        from = to + 1n
      }
    },
  }
}

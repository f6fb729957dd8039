import { client } from './api.ts'
import type { ChainEvent } from './balanceSeries.ts'

export const HISTORY_LIMIT = 500
/** How long the history may trail the balance after a transaction (the chain indexer runs every second). */
const CATCH_UP_MS = 15_000
const RETRY_MS = 250

export type WalletData = { balances: Awaited<ReturnType<typeof client.wallet.get>>; events: ChainEvent[] }

/** The transactions of `expected` that `events` does not show yet. */
export function missingTx(events: readonly Pick<ChainEvent, 'tx_hash'>[], expected: readonly string[]): string[] {
  const seen = new Set(events.map((e) => e.tx_hash.toLowerCase()))
  return expected.filter((h) => !seen.has(h.toLowerCase()))
}

/**
 * The balances (read from the chain) and the history (the server's index of chain events) as one answer:
 * while transactions just mined (`expected`) are missing from the history, it is read again (until `until`,
 * ms since the epoch), so the balance, the chart and the history change together instead of the history
 * trailing by seconds.
 */
export async function loadWallet(expected: readonly string[] = [], until = Date.now() + CATCH_UP_MS): Promise<WalletData> {
  const history = async () => (await client.wallet.history(HISTORY_LIMIT)).events
  const [balances, first] = await Promise.all([client.wallet.get(), history()])
  let events = first
  while (missingTx(events, expected).length > 0 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, RETRY_MS))
    events = await history()
  }
  return { balances, events }
}

/** Until when the history may be waited for after a change. */
export const catchUpUntil = (nowMs = Date.now()) => nowMs + CATCH_UP_MS

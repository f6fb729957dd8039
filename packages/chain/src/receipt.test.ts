import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Hash, createPublicClient, createWalletClient, http } from 'viem'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { devAccount } from './accounts.ts'
import { type LocalChain, startLocalChain } from './localChain.ts'
import { TransactionDroppedError, awaitReceipt } from './receipt.ts'

let chain: LocalChain
beforeAll(async () => {
  chain = await startLocalChain({ dataDir: mkdtempSync(join(tmpdir(), 'tm-receipt-')) })
}, 30_000)
afterAll(() => chain?.stop())

describe('awaitReceipt', () => {
  it('returns a mined receipt, waits while a transaction is pending, and stops at once when the node drops it', { timeout: 30_000 }, async () => {
    const transport = http(chain.rpcUrl)
    const pub = createPublicClient({ chain: foundry, transport })
    const wallet = createWalletClient({ account: devAccount(1), chain: foundry, transport })
    const send = () => wallet.sendTransaction({ to: devAccount(2).address, value: 1n })
    const rpc = (method: string, params: unknown[]) => pub.request({ method: method as never, params: params as never })

    const mined = await awaitReceipt(pub, { hash: await send(), pollingIntervalMs: 20 })
    expect(mined.status).toBe('success')

    await rpc('evm_setAutomine', [false])
    try {
      const pending: Hash = await send()
      // Known to the node but not mined: it waits out the timeout, and says so.
      const started = Date.now()
      await expect(awaitReceipt(pub, { hash: pending, timeoutMs: 600, pollingIntervalMs: 20 })).rejects.toThrow(/no receipt .* after/)
      expect(Date.now() - started).toBeGreaterThanOrEqual(600)
      // Dropped: it stops after a few polls instead of the whole minute.
      const waiting = awaitReceipt(pub, { hash: pending, pollingIntervalMs: 20 })
      await rpc('anvil_dropTransaction', [pending])
      const dropped = Date.now()
      await expect(waiting).rejects.toBeInstanceOf(TransactionDroppedError)
      expect(Date.now() - dropped).toBeLessThan(10_000)
      // Mined while it waits: the receipt.
      const later = await send()
      const receipt = awaitReceipt(pub, { hash: later, pollingIntervalMs: 20 })
      await rpc('evm_mine', [])
      expect((await receipt).transactionHash).toBe(later)
    } finally {
      await rpc('evm_setAutomine', [true])
    }
  })
})

import { useCallback, useState } from 'react'
import type { Hex } from 'viem'
import { describeError } from '../lib/api.ts'
import { ensureGas } from '../lib/chain.ts'
import type { Signer } from '../lib/signer.ts'
import { useSession } from './session.tsx'

export type TxStatus = 'waiting' | 'signing' | 'pending' | 'mined' | 'failed' | 'skipped'
export type TxStep = { label: string; status: TxStatus; hash?: Hex; block?: bigint; error?: string }
/** One transaction of a flow: `send` returns its hash, or null when there is nothing to do. */
export type TxPlan = { label: string; send: (signer: Signer) => Promise<Hex | null> }

/**
 * Runs transactions one after the other and tracks each until it is mined: waiting → signing → pending
 * (sent, hash known) → mined (block) | failed. On the local development chain a first step tops up gas.
 */
export function useTransactions() {
  const session = useSession()
  const [steps, setSteps] = useState<TxStep[]>([])
  const [running, setRunning] = useState(false)
  const [error, setError] = useState<string>()

  const run = useCallback(
    async (plan: TxPlan[], { reason = 'Unlock your wallet to sign the transaction' } = {}): Promise<boolean> => {
      const { reader, config } = session
      setError(undefined)
      if (!reader || !config) {
        setError('This market publishes no RPC endpoint: connect a browser wallet on its chain')
        return false
      }
      const update = (i: number, patch: Partial<TxStep>) => setSteps((all) => all.map((s, j) => (j === i ? { ...s, ...patch } : s)))
      let signer: Signer
      try {
        signer = await session.getSigner(reason)
      } catch (e) {
        setError(describeError(e))
        return false
      }
      setRunning(true)
      const gasStep: TxStep[] = config.chain_id === 31337 && signer.kind === 'local' ? [{ label: 'Top up gas (local development chain)', status: 'waiting' }] : []
      const offset = gasStep.length
      setSteps([...gasStep, ...plan.map((p) => ({ label: p.label, status: 'waiting' as const }))])
      const mined: Hex[] = []
      try {
        if (offset) {
          update(0, { status: 'pending' })
          const funded = await ensureGas(reader, config, signer.address)
          update(0, { status: funded ? 'mined' : 'skipped' })
        }
        await signer.ensureChain()
        for (let i = 0; i < plan.length; i++) {
          const at = i + offset
          update(at, { status: 'signing' })
          let hash: Hex | null
          try {
            hash = await plan[i]!.send(signer)
          } catch (e) {
            update(at, { status: 'failed', error: describeError(e) })
            throw e
          }
          if (!hash) {
            update(at, { status: 'skipped' })
            continue
          }
          update(at, { status: 'pending', hash })
          const receipt = await reader.waitForTransactionReceipt({ hash })
          if (receipt.status !== 'success') {
            update(at, { status: 'failed', block: receipt.blockNumber, error: 'The transaction reverted' })
            throw new Error(`${plan[i]!.label}: the transaction reverted in block ${receipt.blockNumber}`)
          }
          update(at, { status: 'mined', block: receipt.blockNumber })
          mined.push(hash)
        }
        return true
      } catch (e) {
        setError(describeError(e))
        return false
      } finally {
        setRunning(false)
        session.notifyChange(mined)
      }
    },
    [session],
  )

  const reset = useCallback(() => {
    setSteps([])
    setError(undefined)
  }, [])

  return { steps, running, error, run, reset }
}

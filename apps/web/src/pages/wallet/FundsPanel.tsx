import { type WalletBalances, parseTokens } from '@taskmarket/core'
import { useEffect, useState } from 'react'
import { type PublicClient, formatEther, parseEther } from 'viem'
import { Field } from '../../components/Field.tsx'
import { Notice } from '../../components/Feedback.tsx'
import { TxProgress } from '../../components/TxProgress.tsx'
import { client } from '../../lib/api.ts'
import { abis, isLocalChain, sendContract } from '../../lib/chain.ts'
import { SYMBOL, formatAmount, toUnits } from '../../lib/format.ts'
import { useSession } from '../../state/session.tsx'
import { type TxPlan, useTransactions } from '../../state/useTransactions.ts'

type Action = 'faucet' | 'buy' | 'deposit' | 'withdraw'
type Balances = Pick<WalletBalances, 'eth' | 'wallet' | 'deposited'>

const FAUCET_LIMIT = 100_000

/** Buy tokens (sale or faucet) and move them between the wallet and the escrow balance, step by step. */
export function FundsPanel({ balances, initial }: { balances?: Balances; initial?: Action }) {
  const session = useSession()
  const local = !!session.config && isLocalChain(session.config)
  const actions: { id: Action; label: string }[] = [
    ...(local ? [{ id: 'faucet' as const, label: 'Faucet' }] : []),
    { id: 'buy', label: 'Buy with ETH' },
    { id: 'deposit', label: 'Deposit' },
    { id: 'withdraw', label: 'Withdraw' },
  ]
  const [action, setAction] = useState<Action>(initial ?? (local ? 'faucet' : 'buy'))
  const [amount, setAmount] = useState('')
  const [fieldError, setFieldError] = useState<string>()
  const [quote, setQuote] = useState<{ tokens: bigint; price: bigint }>()
  const tx = useTransactions()
  const c = session.config?.contracts

  useEffect(() => {
    setAmount(action === 'faucet' ? '1000' : action === 'buy' ? '0.1' : '')
    setFieldError(undefined)
    tx.reset()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [action])

  useEffect(() => {
    if (action !== 'buy' || !session.reader || !c) return
    let wei: bigint
    try {
      wei = parseEther(amount || '0')
    } catch {
      setQuote(undefined)
      return
    }
    let stale = false
    Promise.all([
      session.reader.readContract({ address: c.sale, abi: abis.sale, functionName: 'quote', args: [wei] }),
      session.reader.readContract({ address: c.sale, abi: abis.sale, functionName: 'price' }),
    ])
      .then(([tokens, price]) => !stale && setQuote({ tokens: tokens as bigint, price: price as bigint }))
      .catch(() => !stale && setQuote(undefined))
    return () => void (stale = true)
  }, [action, amount, session.reader, c])

  const submit = async () => {
    if (!c) return
    setFieldError(undefined)
    let plan: TxPlan[]
    try {
      // The shown balances may trail a transaction just mined (the page waits for its history): check the
      // amount against what the chain holds now.
      const now = action === 'deposit' || action === 'withdraw' ? await client.wallet.get().catch(() => balances) : balances
      plan = planFor(action, amount, now, c, quote, session.reader)
    } catch (e) {
      setFieldError((e as Error).message)
      return
    }
    if (await tx.run(plan, { reason: `Unlock your wallet to ${action === 'faucet' ? 'receive test tokens' : action}` })) setAmount(action === 'faucet' ? amount : '')
  }

  const max = action === 'deposit' ? balances?.wallet : action === 'withdraw' ? balances?.deposited : undefined
  return (
    <div className="card funds">
      <h2 className="card-title">Add or move funds</h2>
      <div className="segmented" role="radiogroup" aria-label="What to do">
        {actions.map((a) => (
          <button key={a.id} type="button" role="radio" aria-checked={action === a.id} className="segment" onClick={() => setAction(a.id)}>
            {a.label}
          </button>
        ))}
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
        noValidate
      >
        <p className="muted small">{explain[action]}</p>
        {!session.reader && <Notice kind="warn">This market's chain is not reachable from the page: connect a browser wallet on chain {session.config?.chain_id ?? '…'} to send transactions.</Notice>}
        <div className="row-field">
          <Field
            id="funds-amount"
            label={action === 'buy' ? 'ETH to spend' : `Amount (${SYMBOL})`}
            error={fieldError}
            hint={
              action === 'buy' && quote
                ? `You get ${formatAmount(quote.tokens)} ${SYMBOL} at ${formatEther(quote.price)} ETH per token`
                : action === 'faucet'
                  ? `Up to ${FAUCET_LIMIT.toLocaleString()} ${SYMBOL} per request`
                  : max !== undefined
                    ? `Available: ${formatAmount(max)} ${SYMBOL}`
                    : undefined
            }
          >
            <input inputMode="decimal" autoComplete="off" value={amount} onChange={(e) => setAmount(e.target.value)} placeholder="0.0" />
          </Field>
          {max !== undefined && toUnits(max) > 0n && (
            <button type="button" className="btn btn-ghost btn-small max-btn" onClick={() => setAmount(max)}>
              Max
            </button>
          )}
        </div>
        <button type="submit" className="btn btn-primary btn-block" disabled={tx.running || !session.reader}>
          {tx.running ? 'Working…' : buttonText[action]}
        </button>
      </form>
      <TxProgress steps={tx.steps} error={tx.error} />
    </div>
  )
}

const explain: Record<Action, string> = {
  faucet: 'Free test tokens: the faucet only exists on the local development chain.',
  buy: 'Buy tokens from the token sale at its fixed price; the ETH goes to the treasury.',
  deposit: 'Move tokens from your wallet into your escrow balance: tasks are paid from there. Two steps: allow the escrow contract to take them, then deposit.',
  withdraw: 'Move unlocked tokens from your escrow balance back to your wallet.',
}

const buttonText: Record<Action, string> = { faucet: 'Get test tokens', buy: 'Buy tokens', deposit: 'Deposit to escrow', withdraw: 'Withdraw to wallet' }

type Contracts = { token: `0x${string}`; sale: `0x${string}`; escrow: `0x${string}` }

/** The transactions of an action, after checking the amount; throws with a message for the field. */
export function planFor(action: Action, amount: string, balances: Balances | undefined, c: Contracts, quote?: { tokens: bigint }, reader?: PublicClient): TxPlan[] {
  const chain = () => {
    if (!reader) throw new Error('No connection to the chain: this market publishes no RPC and no browser wallet is connected')
    return reader
  }
  if (action === 'buy') {
    let wei: bigint
    try {
      wei = parseEther(amount.trim())
    } catch {
      throw new Error('Enter an ETH amount such as 0.1')
    }
    if (wei <= 0n) throw new Error('Enter more than zero')
    if (quote && quote.tokens === 0n) throw new Error('That buys less than one base unit of token; spend more')
    return [{ label: `Buy ${quote ? `${formatAmount(quote.tokens)} ${SYMBOL}` : 'tokens'} for ${amount.trim()} ETH`, send: (s) => sendContract(s, chain(), { address: c.sale, abi: abis.sale, functionName: 'buy', args: [s.address], value: wei }) }]
  }
  let units: bigint
  try {
    units = parseTokens(amount, 'amount')
  } catch {
    throw new Error(amount.trim() === '' ? 'Enter an amount' : 'Enter a positive amount such as 100 or 2.5 (at most 18 decimals)')
  }
  const label = `${formatAmount(units)} ${SYMBOL}`
  if (action === 'faucet') {
    if (units > BigInt(FAUCET_LIMIT) * 10n ** 18n) throw new Error(`The faucet gives at most ${FAUCET_LIMIT.toLocaleString()} ${SYMBOL} at a time`)
    return [{ label: `Receive ${label} from the faucet`, send: (s) => sendContract(s, chain(), { address: c.sale, abi: abis.sale, functionName: 'faucet', args: [s.address, units] }) }]
  }
  if (action === 'deposit') {
    if (balances && units > toUnits(balances.wallet)) throw new Error(`Your wallet holds ${formatAmount(balances.wallet)} ${SYMBOL}; buy tokens or get some from the faucet first`)
    return [
      {
        label: `Allow the escrow to take ${label}`,
        send: async (s) => {
          const allowance = reader ? ((await reader.readContract({ address: c.token, abi: abis.token, functionName: 'allowance', args: [s.address, c.escrow] })) as bigint) : 0n
          if (allowance >= units) return null
          return sendContract(s, chain(), { address: c.token, abi: abis.token, functionName: 'approve', args: [c.escrow, units] })
        },
      },
      { label: `Deposit ${label} to your escrow balance`, send: (s) => sendContract(s, chain(), { address: c.escrow, abi: abis.escrow, functionName: 'deposit', args: [units] }) },
    ]
  }
  if (balances && units > toUnits(balances.deposited)) throw new Error(`Your escrow balance is ${formatAmount(balances.deposited)} ${SYMBOL} (locked rewards cannot be withdrawn)`)
  return [{ label: `Withdraw ${label} to your wallet`, send: (s) => sendContract(s, chain(), { address: c.escrow, abi: abis.escrow, functionName: 'withdraw', args: [units] }) }]
}

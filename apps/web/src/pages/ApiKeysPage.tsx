import type { ApiKey } from '@taskmarket/core'
import { useState } from 'react'
import { maxUint256 } from 'viem'
import { Field } from '../components/Field.tsx'
import { EmptyState, ErrorNote, Loading, Notice } from '../components/Feedback.tsx'
import { Hex } from '../components/Hex.tsx'
import { Modal } from '../components/Modal.tsx'
import { RequireSignIn } from '../components/RequireSignIn.tsx'
import { TxProgress } from '../components/TxProgress.tsx'
import { ApiError, client, describeError, fieldMessage } from '../lib/api.ts'
import { abis, sendContract } from '../lib/chain.ts'
import { SYMBOL, formatAmount, formatDateTime, timeAgo, toUnits } from '../lib/format.ts'
import { useSession } from '../state/session.tsx'
import { useAsync } from '../state/useAsync.ts'
import { useTransactions } from '../state/useTransactions.ts'

type Key = ApiKey

export function ApiKeysPage() {
  return (
    <section className="page">
      <h1>API keys</h1>
      <p className="lead">Programs (the SDK, the CLI, curl) post tasks with an API key instead of a wallet signature.</p>
      <RequireSignIn why="API keys belong to your account." next="/keys">
        <ApiKeys />
      </RequireSignIn>
    </section>
  )
}

function ApiKeys() {
  const session = useSession()
  const keys = useAsync(async () => (await client.apiKeys.list()).keys, [session.address])
  const [name, setName] = useState('')
  const [nameError, setNameError] = useState<string>()
  const [created, setCreated] = useState<{ key: string; name: string }>()
  const [revoking, setRevoking] = useState<Key>()
  const [busy, setBusy] = useState(false)

  return (
    <>
      <AllowancePanel />
      <div className="card">
        <h2 className="card-title">Create a key</h2>
        <form
          className="inline-form"
          onSubmit={async (e) => {
            e.preventDefault()
            if (!name.trim()) return setNameError('Give the key a name, e.g. "render farm script"')
            setBusy(true)
            setNameError(undefined)
            try {
              const k = await client.apiKeys.create(name.trim())
              setCreated({ key: k.key, name: k.name })
              setName('')
              await keys.reload()
            } catch (err) {
              setNameError(err instanceof ApiError && err.field === 'name' ? fieldMessage(err) : describeError(err))
            } finally {
              setBusy(false)
            }
          }}
        >
          <Field id="key-name" label="Name" error={nameError} hint="Say where the key will be used">
            <input value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
          </Field>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create key'}
          </button>
        </form>
        {created && (
          <Notice kind="success" title={`Key "${created.name}" created: copy it now, it is shown only once`}>
            <div className="secret">
              <Hex value={created.key} full />
            </div>
            <pre className="code">{`curl -X POST ${window.location.origin}/tasks \\
  -H "Authorization: Bearer ${created.key}" \\
  -H "Content-Type: application/json" \\
  -d '{"challenge_type":"synthetic","reward":"1",
       "payload":{"seed":"0x2a","matrix_size":64,"iterations":100}}'`}</pre>
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setCreated(undefined)}>
              I saved it
            </button>
          </Notice>
        )}
      </div>

      <div className="card">
        <h2 className="card-title">Your keys</h2>
        <ErrorNote error={keys.error} onRetry={keys.reload} />
        {keys.loading && !keys.data ? (
          <Loading label="Loading keys…" />
        ) : keys.data && keys.data.length === 0 ? (
          <EmptyState title="No API keys yet" icon="⚿" />
        ) : (
          <ul className="key-list">
            {keys.data?.map((k) => (
              <li key={k.id}>
                <div>
                  <div className="cell-title">{k.name}</div>
                  <div className="cell-sub">
                    <code>{k.prefix}…</code> · created {formatDateTime(k.created_at)} · {k.last_used_at ? `last used ${timeAgo(k.last_used_at)}` : 'never used'}
                  </div>
                </div>
                <button type="button" className="btn btn-small btn-danger" onClick={() => setRevoking(k)}>
                  Revoke
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      {revoking && <RevokeDialog keyInfo={revoking} onClose={() => setRevoking(undefined)} onDone={() => void keys.reload()} />}
    </>
  )
}

function RevokeDialog({ keyInfo, onClose, onDone }: { keyInfo: Key; onClose: () => void; onDone: () => void }) {
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  return (
    <Modal title="Revoke this key?" onClose={onClose}>
      <p>
        Programs using <strong>{keyInfo.name}</strong> (<code>{keyInfo.prefix}…</code>) stop working at once. This cannot be undone.
      </p>
      {error && <p className="field-error">{error}</p>}
      <div className="actions">
        <button type="button" className="btn btn-ghost" onClick={onClose}>
          Keep it
        </button>
        <button
          type="button"
          className="btn btn-danger"
          disabled={busy}
          onClick={async () => {
            setBusy(true)
            try {
              await client.apiKeys.revoke(keyInfo.id)
              onDone()
              onClose()
            } catch (err) {
              setError(describeError(err))
              setBusy(false)
            }
          }}
        >
          {busy ? 'Revoking…' : 'Revoke key'}
        </button>
      </div>
    </Modal>
  )
}

/** Tasks posted with an API key are funded from an allowance the poster gives the operator on chain. */
function AllowancePanel() {
  const session = useSession()
  const tx = useTransactions()
  const [amount, setAmount] = useState('')
  const [error, setError] = useState<string>()
  const c = session.config
  const allowance = useAsync(
    async () => (session.reader && c && session.address ? ((await session.reader.readContract({ address: c.contracts.escrow, abi: abis.escrow, functionName: 'operatorAllowance', args: [session.address, c.operator] })) as bigint) : undefined),
    [session.address, session.version, c?.operator],
    { keep: true },
  )
  const approve = async (value: bigint) => {
    if (!c) return
    await tx.run([{ label: `Allow the operator to lock ${value === maxUint256 ? 'any amount' : `${formatAmount(value)} ${SYMBOL}`} for API tasks`, send: (s) => sendContract(s, session.reader!, { address: c.contracts.escrow, abi: abis.escrow, functionName: 'approveOperator', args: [c.operator, value] }) }], { reason: 'Unlock your wallet to set the allowance' })
  }
  const a = allowance.data
  return (
    <div className="card">
      <h2 className="card-title">Allowance for API posting</h2>
      <p className="muted">
        A task posted with an API key carries no wallet signature, so its reward is locked by the market's operator (<Hex value={c?.operator} />) from an allowance you set on the escrow contract, the same as{' '}
        <code>taskmarket wallet approve</code> on the command line. The operator can only lock your deposit in tasks you post; it can never withdraw it.
      </p>
      <p>
        Current allowance:{' '}
        <strong data-testid="operator-allowance">{a === undefined ? '…' : a === 0n ? 'none — API posting is refused' : a >= maxUint256 / 2n ? 'unlimited' : `${formatAmount(a)} ${SYMBOL}`}</strong>
      </p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault()
          if (!/^\d+(\.\d{1,18})?$/.test(amount.trim())) return setError('Enter an amount such as 500, or use “Unlimited”')
          setError(undefined)
          void approve(toUnits(amount.trim()))
        }}
      >
        <Field id="allowance-amount" label={`Allowance (${SYMBOL})`} error={error}>
          <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} placeholder="500" />
        </Field>
        <button type="submit" className="btn btn-secondary" disabled={tx.running}>
          Set allowance
        </button>
        <button type="button" className="btn btn-ghost" disabled={tx.running} onClick={() => void approve(maxUint256)}>
          Unlimited
        </button>
        {a !== undefined && a > 0n && (
          <button type="button" className="btn btn-ghost" disabled={tx.running} onClick={() => void approve(0n)}>
            Revoke allowance
          </button>
        )}
      </form>
      <TxProgress steps={tx.steps} error={tx.error} />
    </div>
  )
}

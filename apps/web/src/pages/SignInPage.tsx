import { type FormEvent, type ReactNode, useState } from 'react'
import { Field } from '../components/Field.tsx'
import { Notice } from '../components/Feedback.tsx'
import { Hex } from '../components/Hex.tsx'
import { describeError } from '../lib/api.ts'
import { injectedProvider } from '../lib/chain.ts'
import { type EncryptedKey, decryptPrivateKey, isEncryptedKey, parsePrivateKey, passwordProblem } from '../lib/keystore.ts'
import { Link, navigate } from '../lib/router.tsx'
import { useSession } from '../state/session.tsx'

type Tab = 'unlock' | 'create' | 'import' | 'injected'

/** Sign up (a wallet made in this browser) or sign in (unlock it, import a key, or a browser wallet), then SIWE. */
export function SignInPage({ next }: { next?: string }) {
  const session = useSession()
  const [tab, setTab] = useState<Tab>(session.stored ? 'unlock' : 'create')
  const done = () => navigate(next && next.startsWith('/') ? next : '/wallet')

  if (session.status === 'signed-in')
    return (
      <section className="page page-narrow">
        <h1>You are signed in</h1>
        <div className="card">
          <p>
            Signed in as <Hex value={session.address} full />
          </p>
          <div className="actions actions-start">
            <Link to="/wallet" className="btn btn-primary">
              Open your wallet
            </Link>
            <button type="button" className="btn btn-ghost" onClick={() => void session.logout()}>
              Sign out
            </button>
          </div>
        </div>
      </section>
    )

  const tabs: { id: Tab; label: string; hidden?: boolean }[] = [
    { id: 'unlock', label: 'Unlock', hidden: !session.stored },
    { id: 'create', label: 'Create wallet' },
    { id: 'import', label: 'Import key' },
    { id: 'injected', label: 'Browser wallet' },
  ]
  const visible = tabs.filter((t) => !t.hidden)
  return (
    <section className="page page-narrow">
      <h1>{tab === 'create' ? 'Create your account' : 'Sign in'}</h1>
      <p className="lead">Your account is an Ethereum address. You sign in by signing a message with its key (Sign-In with Ethereum); no email, no password on our side.</p>
      <div className="card">
        <div className="tabs" role="tablist" aria-label="How to sign in">
          {visible.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              id={`tab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls={`panel-${t.id}`}
              tabIndex={tab === t.id ? 0 : -1}
              className="tab"
              onClick={() => setTab(t.id)}
              onKeyDown={(e) => {
                const i = visible.findIndex((v) => v.id === tab)
                const move = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0
                if (!move) return
                const target = visible[(i + move + visible.length) % visible.length]!
                setTab(target.id)
                document.getElementById(`tab-${target.id}`)?.focus()
              }}
            >
              {t.label}
            </button>
          ))}
        </div>
        <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tab-panel">
          {tab === 'unlock' && session.stored && <UnlockPanel stored={session.stored} onDone={done} />}
          {tab === 'create' && <CreatePanel replacing={session.stored} onDone={done} />}
          {tab === 'import' && <ImportPanel replacing={session.stored} onDone={done} />}
          {tab === 'injected' && <InjectedPanel onDone={done} />}
        </div>
      </div>
    </section>
  )
}

function useSubmit(action: () => Promise<void>) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      await action()
    } catch (err) {
      setError(describeError(err))
      setBusy(false)
    }
  }
  return { busy, error, setError, submit }
}

function UnlockPanel({ stored, onDone }: { stored: EncryptedKey; onDone: () => void }) {
  const session = useSession()
  const [password, setPassword] = useState('')
  const { busy, error, submit } = useSubmit(async () => {
    await session.unlockAndSignIn(password)
    onDone()
  })
  return (
    <form onSubmit={submit}>
      <p>
        This browser keeps the wallet <Hex value={stored.address} />, encrypted with your password.
      </p>
      <Field id="signin-password" label="Password" error={error}>
        <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      </Field>
      <button type="submit" className="btn btn-primary btn-block" disabled={busy || !password}>
        {busy ? 'Signing in…' : 'Unlock and sign in'}
      </button>
    </form>
  )
}

function Replacing({ stored }: { stored?: EncryptedKey }): ReactNode {
  if (!stored) return null
  return (
    <Notice kind="warn" title="This replaces the wallet kept in this browser">
      <Hex value={stored.address} /> will be removed from this browser. Export its key from the Wallet page first if it holds anything.
    </Notice>
  )
}

function CreatePanel({ replacing, onDone }: { replacing?: EncryptedKey; onDone: () => void }) {
  const session = useSession()
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const [problems, setProblems] = useState<{ password?: string; confirm?: string }>({})
  const { busy, error, submit } = useSubmit(async () => {
    const p = { password: passwordProblem(password), confirm: password && confirm !== password ? 'The two passwords differ' : undefined }
    setProblems(p)
    if (p.password || p.confirm) throw new Error('Check the password fields')
    await session.createWallet(password)
    onDone()
  })
  return (
    <form onSubmit={submit} noValidate>
      <p>A new key is generated in this browser and kept here, encrypted with your password (PBKDF2 + AES-GCM). Nobody else, not even Task Market, can use it.</p>
      <Replacing stored={replacing} />
      <Field id="create-password" label="Password" hint="At least 8 characters. It cannot be recovered: export your key from the Wallet page to keep a backup." error={problems.password}>
        <input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </Field>
      <Field id="create-confirm" label="Repeat the password" error={problems.confirm}>
        <input type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
      </Field>
      {error && !problems.password && !problems.confirm && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
        {busy ? 'Creating your wallet…' : 'Create wallet and sign in'}
      </button>
    </form>
  )
}

function ImportPanel({ replacing, onDone }: { replacing?: EncryptedKey; onDone: () => void }) {
  const session = useSession()
  const [key, setKey] = useState('')
  const [backup, setBackup] = useState<EncryptedKey>()
  const [password, setPassword] = useState('')
  const [problems, setProblems] = useState<Record<string, string | undefined>>({})
  const { busy, error, submit } = useSubmit(async () => {
    let privateKey: `0x${string}` | undefined
    const p: Record<string, string | undefined> = {}
    if (backup) {
      try {
        privateKey = await decryptPrivateKey(backup, password)
      } catch (e) {
        p.password = describeError(e)
      }
    } else {
      privateKey = parsePrivateKey(key)
      if (!privateKey) p.key = 'A private key is 64 hex characters, with or without 0x'
      p.password = passwordProblem(password)
    }
    setProblems(p)
    if (p.key || p.password || !privateKey) throw new Error('Check the fields above')
    await session.importWallet(privateKey, password)
    onDone()
  })
  return (
    <form onSubmit={submit} noValidate>
      <p>Bring a key you already have: paste it, or open a backup file exported from Task Market.</p>
      <Replacing stored={replacing} />
      <Field id="import-key" label="Private key" error={problems.key} hint={backup ? `Using the backup of ${backup.address}` : undefined}>
        <input type="password" autoComplete="off" spellCheck={false} value={key} disabled={!!backup} onChange={(e) => setKey(e.target.value)} placeholder="0x…" />
      </Field>
      <Field id="import-file" label="…or a backup file (.json)" error={problems.file}>
        <input
          type="file"
          accept="application/json,.json"
          onChange={async (e) => {
            const file = e.target.files?.[0]
            setBackup(undefined)
            if (!file) return
            try {
              const parsed = JSON.parse(await file.text())
              if (!isEncryptedKey(parsed)) throw new Error()
              setBackup(parsed)
              setProblems({})
            } catch {
              setProblems({ file: 'This is not a Task Market wallet backup' })
            }
          }}
        />
      </Field>
      <Field id="import-password" label={backup ? 'Password of the backup' : 'New password for this browser'} error={problems.password}>
        <input type="password" autoComplete={backup ? 'current-password' : 'new-password'} value={password} onChange={(e) => setPassword(e.target.value)} />
      </Field>
      {error && !Object.values(problems).some(Boolean) && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
        {busy ? 'Importing…' : 'Import and sign in'}
      </button>
    </form>
  )
}

function InjectedPanel({ onDone }: { onDone: () => void }) {
  const session = useSession()
  const available = !!injectedProvider()
  const { busy, error, submit } = useSubmit(async () => {
    await session.connectInjected()
    onDone()
  })
  return (
    <form onSubmit={submit}>
      <p>Use a wallet extension (MetaMask, Rabby, Frame…): it asks you to connect and to sign the sign-in message. Transactions are signed in the extension.</p>
      {!available && (
        <Notice kind="info" title="No browser wallet found">
          Install a wallet extension, or create a wallet in this browser instead.
        </Notice>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="btn btn-primary btn-block" disabled={busy || !available}>
        {busy ? 'Waiting for your wallet…' : 'Connect browser wallet'}
      </button>
    </form>
  )
}

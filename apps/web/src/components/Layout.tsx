import { type ReactNode, useEffect, useState } from 'react'
import { client } from '../lib/api.ts'
import { isLocalChain } from '../lib/chain.ts'
import { SYMBOL, formatAmount, shortHex } from '../lib/format.ts'
import { Link, useRoute } from '../lib/router.tsx'
import { useSession } from '../state/session.tsx'
import { useAsync } from '../state/useAsync.ts'

const nav = [
  { to: '/market', label: 'Marketplace' },
  { to: '/tasks/new', label: 'Post a task' },
  { to: '/work', label: 'My work' },
  { to: '/wallet', label: 'Wallet' },
  { to: '/nodes', label: 'Nodes' },
  { to: '/network', label: 'Network' },
  { to: '/keys', label: 'API keys' },
]

/** The frame of every page: header with navigation and account, the page, a footer. */
export function Layout({ children }: { children: ReactNode }) {
  const session = useSession()
  const route = useRoute()
  const [open, setOpen] = useState(false)
  useEffect(() => setOpen(false), [route.path])
  const signedIn = session.status === 'signed-in'
  const balance = useAsync(() => client.wallet.get(), [session.address, session.version, route.path], { enabled: signedIn, intervalMs: 15_000, keep: true })

  return (
    <div className="app">
      <a className="skip-link" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <header className="header">
        <div className="header-inner">
          <Link to="/" className="brand" aria-label="Task Market home">
            <span className="brand-mark" aria-hidden="true">
              T
            </span>
            <span className="brand-name">Task Market</span>
          </Link>
          <button type="button" className="menu-btn" aria-expanded={open} aria-controls="main-nav" onClick={() => setOpen((o) => !o)}>
            <span aria-hidden="true">{open ? '✕' : '☰'}</span>
            <span className="sr-only">Menu</span>
          </button>
          <nav id="main-nav" className={`nav${open ? ' nav-open' : ''}`} aria-label="Main" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
            {nav.map((n) => (
              <Link key={n.to} to={n.to} className="nav-link">
                {n.label}
              </Link>
            ))}
            <div className="nav-account">
              {session.status === 'loading' ? null : signedIn ? (
                <>
                  <Link to="/wallet" className="balance-chip" title="Tokens in your escrow balance, ready to post tasks">
                    <span className="balance-dot" aria-hidden="true" />
                    {balance.data ? `${formatAmount(balance.data.deposited, 2)} ${SYMBOL}` : '…'}
                    <span className="sr-only"> deposited</span>
                  </Link>
                  <Link to="/profile" className="account" title={`${session.address} · your profile`}>
                    <span className="avatar" aria-hidden="true" style={{ background: avatarColor(session.address) }} />
                    <span className="account-address">{shortHex(session.address)}</span>
                    <span className="account-profile"> Profile</span>
                  </Link>
                  <button type="button" className="btn btn-small btn-ghost" onClick={() => void session.logout()}>
                    Sign out
                  </button>
                </>
              ) : (
                <Link to="/signin" className="btn btn-small btn-primary">
                  Sign in
                </Link>
              )}
            </div>
          </nav>
        </div>
      </header>
      {session.config && isLocalChain(session.config) && (
        <div className="devbar" role="note">
          Local development chain (id {session.config.chain_id}): test tokens from the faucet, gas topped up for you.
        </div>
      )}
      {session.configError && (
        <div className="devbar devbar-error" role="alert">
          Cannot reach the market: {session.configError}
        </div>
      )}
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="footer">
        <span>Task Market — verified work, paid from escrow on chain.</span>
        <span>
          <a href="./docs">API docs</a> · <Link to="/network">Network status</Link>
        </span>
      </footer>
    </div>
  )
}

function avatarColor(address?: string) {
  if (!address) return '#94a3b8'
  const hue = Number.parseInt(address.slice(2, 6), 16) % 360
  return `linear-gradient(135deg, hsl(${hue} 70% 55%), hsl(${(hue + 60) % 360} 70% 45%))`
}

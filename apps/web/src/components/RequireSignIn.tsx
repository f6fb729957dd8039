import type { ReactNode } from 'react'
import { href } from '../lib/router.tsx'
import { useSession } from '../state/session.tsx'
import { EmptyState, Loading } from './Feedback.tsx'

/** Shows `children` to a signed-in user; otherwise says why to sign in, with a way back here after. */
export function RequireSignIn({ children, why, next }: { children: ReactNode; why: string; next: string }) {
  const session = useSession()
  if (session.status === 'loading') return <Loading label="Checking your session…" />
  if (session.status === 'signed-out')
    return (
      <EmptyState title="Sign in to continue" icon="🔒">
        <p>{why}</p>
        <a className="btn btn-primary" href={href('/signin', { next })}>
          Sign in or create a wallet
        </a>
      </EmptyState>
    )
  return <>{children}</>
}

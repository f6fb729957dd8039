import { EmptyState } from '../components/Feedback.tsx'
import { Link } from '../lib/router.tsx'

export function NotFoundPage() {
  return (
    <section className="page">
      <h1>Page not found</h1>
      <EmptyState title="There is nothing at this address." icon="?">
        <Link to="/market" className="btn btn-primary">
          Go to the marketplace
        </Link>
      </EmptyState>
    </section>
  )
}

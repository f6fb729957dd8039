import type { ReactNode } from 'react'

type PagerProps = { page: number; pages: number; onPage: (page: number) => void; label: string; previous?: string; next?: string; children?: ReactNode }

/** Previous and next around "Page N of M" (pages count from 1); `children` go after, e.g. "Show all". */
export function Pager({ page, pages, onPage, label, previous = '← Previous', next = 'Next →', children }: PagerProps) {
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" className="btn btn-ghost btn-small" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {previous}
      </button>
      <span>
        Page {page} of {pages}
      </span>
      <button type="button" className="btn btn-ghost btn-small" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {next}
      </button>
      {children}
    </nav>
  )
}

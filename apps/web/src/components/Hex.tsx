import { useState } from 'react'
import { shortHex } from '../lib/format.ts'

/** An address or hash, shortened, with its full value on hover and a copy button. */
export function Hex({ value, head = 6, tail = 4, copy = true, full = false }: { value: string | null | undefined; head?: number; tail?: number; copy?: boolean; full?: boolean }) {
  const [copied, setCopied] = useState(false)
  if (!value) return <span className="muted">—</span>
  return (
    <span className={`hex${full ? ' hex-full' : ''}`}>
      <code title={value}>{full ? value : shortHex(value, head, tail)}</code>
      {copy && (
        <button
          type="button"
          className="icon-btn"
          aria-label={copied ? 'Copied' : `Copy ${value}`}
          title={copied ? 'Copied' : 'Copy'}
          onClick={async () => {
            await navigator.clipboard?.writeText(value).catch(() => {})
            setCopied(true)
            setTimeout(() => setCopied(false), 1500)
          }}
        >
          {copied ? '✓' : <CopyIcon />}
        </button>
      )}
    </span>
  )
}

function CopyIcon() {
  return (
    <svg width="13" height="13" viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.6">
      <rect x="5.5" y="5.5" width="8" height="8" rx="1.5" />
      <path d="M10.5 3.5V3A1.5 1.5 0 0 0 9 1.5H3A1.5 1.5 0 0 0 1.5 3v6A1.5 1.5 0 0 0 3 10.5h.5" />
    </svg>
  )
}

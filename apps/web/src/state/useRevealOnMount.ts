import { type RefObject, useEffect } from 'react'

/**
 * Scrolls an element into view when it first appears and is off screen or low on it: a panel that replaces
 * the button just pressed (a claim's work panel, a confirmation after submitting) may land below the fold
 * on a phone, where the page above it is long.
 */
export function useRevealOnMount(ref: RefObject<HTMLElement | null>, block: ScrollLogicalPosition = 'start') {
  useEffect(() => {
    const el = ref.current
    if (!el) return
    const { top, bottom } = el.getBoundingClientRect()
    const cut = bottom > window.innerHeight && bottom - top < window.innerHeight
    if (top < 0 || top > window.innerHeight * 0.6 || cut) el.scrollIntoView?.({ behavior: 'smooth', block })
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])
}

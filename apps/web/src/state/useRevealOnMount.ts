import { type RefObject, useEffect } from 'react'

/** How long after mounting the element is kept in view while images inside it load and grow it. */
const SETTLE_MS = 3000

/**
 * Scrolls an element into view when it first appears and is off screen or low on it: a panel that replaces
 * the button just pressed (a claim's work panel, a confirmation after submitting) may land below the fold
 * on a phone, where the page above it is long. "On screen" starts below the sticky header (the root's
 * scroll-padding-top). While it settles, it is checked again whenever it changes size: a photo that loads
 * inside it grows it, and the browser's scroll anchoring then pushes its top off screen.
 */
export function useRevealOnMount(ref: RefObject<HTMLElement | null>, block: ScrollLogicalPosition = 'start') {
  useEffect(() => {
    const el = ref.current
    if (!el) return
    const reveal = () => {
      const { top, bottom } = el.getBoundingClientRect()
      const covered = parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop) || 0
      const room = window.innerHeight - covered
      const cut = bottom > window.innerHeight && bottom - top < room
      if (top < covered || top > covered + room * 0.6 || cut) el.scrollIntoView?.({ behavior: 'smooth', block })
    }
    reveal()
    if (typeof ResizeObserver === 'undefined') return
    let first = true
    const resized = new ResizeObserver(() => (first ? (first = false) : reveal()))
    resized.observe(el)
    const stop = setTimeout(() => resized.disconnect(), SETTLE_MS)
    return () => {
      clearTimeout(stop)
      resized.disconnect()
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])
}

/**
 * Wraps a progress callback so that it fires at most once per `intervalMs` (the first call and a
 * final 1 always pass), and only with fractions clamped to 0..1. Executors report as often as is
 * natural to them (every iteration, every chunk) and let this decide what reaches the runtime.
 * @example const progress = throttleProgress(ctx.progress); for (...) progress(i / n)
 */
export function throttleProgress(
  report: (fraction: number, message?: string) => void,
  intervalMs = 250,
  now: () => number = () => performance.now(),
): (fraction: number, message?: string) => void {
  let last = -Infinity
  return (fraction, message) => {
    if (!Number.isFinite(fraction)) return
    const clamped = Math.min(1, Math.max(0, fraction))
    const time = now()
    if (clamped < 1 && time - last < intervalMs) return
    last = time
    report(clamped, message)
  }
}

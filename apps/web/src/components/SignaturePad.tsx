import { type PointerEvent, type Ref, useCallback, useEffect, useImperativeHandle, useRef, useState } from 'react'

/** What a page can ask of a signature pad. */
export type SignaturePadHandle = {
  /** The signature as a PNG (white background, dark ink); rejects while nothing is drawn. */
  toPng(): Promise<Blob>
  clear(): void
}

type Point = { x: number; y: number }
const INK = '#0f172a'

/**
 * A box to sign in with a finger, pen or mouse (pointer events, so touch does not scroll the page while
 * signing); `onChange` says whether something is drawn. Strokes are kept in CSS pixels and redrawn when the
 * box is resized, so a phone turned sideways keeps the signature.
 */
export function SignaturePad({ id, label, onChange, ref }: { id: string; label: string; onChange?: (signed: boolean) => void; ref?: Ref<SignaturePadHandle> }) {
  const canvas = useRef<HTMLCanvasElement>(null)
  const strokes = useRef<Point[][]>([])
  const drawing = useRef(false)
  const [signed, setSigned] = useState(false)

  const redraw = useCallback(() => {
    const c = canvas.current
    const ctx = c?.getContext('2d')
    if (!c || !ctx) return
    const ratio = window.devicePixelRatio || 1
    const width = c.clientWidth || c.width / ratio
    const height = c.clientHeight || c.height / ratio
    if (c.width !== Math.round(width * ratio) || c.height !== Math.round(height * ratio)) {
      c.width = Math.round(width * ratio)
      c.height = Math.round(height * ratio)
    }
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0)
    ctx.fillStyle = '#ffffff'
    ctx.fillRect(0, 0, width, height)
    ctx.strokeStyle = INK
    ctx.lineWidth = 2.5
    ctx.lineCap = 'round'
    ctx.lineJoin = 'round'
    for (const stroke of strokes.current) {
      ctx.beginPath()
      stroke.forEach((p, i) => (i === 0 ? ctx.moveTo(p.x, p.y) : ctx.lineTo(p.x, p.y)))
      // A tap leaves a dot.
      if (stroke.length === 1) ctx.lineTo(stroke[0]!.x + 0.1, stroke[0]!.y)
      ctx.stroke()
    }
  }, [])

  useEffect(() => {
    redraw()
    const c = canvas.current
    if (!c || typeof ResizeObserver === 'undefined') return
    const observer = new ResizeObserver(() => redraw())
    observer.observe(c)
    return () => observer.disconnect()
  }, [redraw])

  const changed = (value: boolean) => {
    setSigned(value)
    onChange?.(value)
  }
  const clear = () => {
    strokes.current = []
    redraw()
    changed(false)
  }
  useImperativeHandle(ref, () => ({
    clear,
    toPng: () =>
      new Promise<Blob>((resolve, reject) => {
        if (strokes.current.length === 0 || !canvas.current) return reject(new Error('Sign in the box first'))
        canvas.current.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('This browser could not save the signature'))), 'image/png')
      }),
  }))

  const at = (e: PointerEvent<HTMLCanvasElement>): Point => {
    const box = e.currentTarget.getBoundingClientRect()
    return { x: e.clientX - box.left, y: e.clientY - box.top }
  }
  const down = (e: PointerEvent<HTMLCanvasElement>) => {
    e.preventDefault()
    e.currentTarget.setPointerCapture?.(e.pointerId)
    drawing.current = true
    strokes.current.push([at(e)])
    redraw()
    if (!signed) changed(true)
  }
  const move = (e: PointerEvent<HTMLCanvasElement>) => {
    if (!drawing.current) return
    strokes.current[strokes.current.length - 1]!.push(at(e))
    redraw()
  }
  const up = () => void (drawing.current = false)

  return (
    <div className="signature">
      <canvas id={id} ref={canvas} className="signature-canvas" role="img" aria-label={label} onPointerDown={down} onPointerMove={move} onPointerUp={up} onPointerCancel={up} onPointerLeave={up} />
      <div className="signature-foot">
        <span className="muted small">{signed ? 'Signed' : 'Sign above with your finger'}</span>
        <button type="button" className="btn btn-ghost btn-small" onClick={clear} disabled={!signed}>
          Clear
        </button>
      </div>
    </div>
  )
}

import { act, fireEvent, render, screen } from '@testing-library/react'
import { createRef } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type SignaturePadHandle, SignaturePad } from './SignaturePad.tsx'

/**
 * jsdom has no canvas backend: this stands in for the browser's 2D context (a third-party API) and records
 * the path the pad draws; toBlob hands back that path as the PNG's bytes after the PNG signature.
 */
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
let drawn: string[]
beforeEach(() => {
  drawn = []
  const ctx = new Proxy({} as Record<string, unknown>, {
    get: (target, key: string) => target[key] ?? ((...args: number[]) => ['moveTo', 'lineTo'].includes(key) && drawn.push(`${key}(${args.map(Math.round)})`)),
    set: (target, key: string, value) => ((target[key] = value), true),
  })
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(() => ctx as never)
  vi.spyOn(HTMLCanvasElement.prototype, 'toBlob').mockImplementation(function (this: HTMLCanvasElement, done: BlobCallback, type?: string) {
    done(new Blob([new Uint8Array(PNG_SIGNATURE), drawn.join(';')], { type: type ?? 'image/png' }))
  })
})
afterEach(() => vi.restoreAllMocks())

describe('signature pad', () => {
  it('draws the pointer strokes, says it is signed, and exports them as a PNG', async () => {
    const ref = createRef<SignaturePadHandle>()
    const signed: boolean[] = []
    render(<SignaturePad id="signature" label="Signature box" ref={ref} onChange={(s) => signed.push(s)} />)
    const canvas = screen.getByRole('img', { name: 'Signature box' })
    await expect(ref.current!.toPng()).rejects.toThrow('Sign in the box first')

    fireEvent.pointerDown(canvas, { pointerId: 1, clientX: 10, clientY: 20 })
    fireEvent.pointerMove(canvas, { pointerId: 1, clientX: 40, clientY: 25 })
    fireEvent.pointerMove(canvas, { pointerId: 1, clientX: 80, clientY: 30 })
    fireEvent.pointerUp(canvas, { pointerId: 1 })
    fireEvent.pointerMove(canvas, { pointerId: 1, clientX: 200, clientY: 200 })
    expect(signed).toEqual([true])
    expect(drawn.slice(-3)).toEqual(['moveTo(10,20)', 'lineTo(40,25)', 'lineTo(80,30)'])
    expect(screen.getByText('Signed')).toBeTruthy()

    const png = await ref.current!.toPng()
    expect(png.type).toBe('image/png')
    const bytes = new Uint8Array(await readBlob(png))
    expect([...bytes.slice(0, 8)]).toEqual(PNG_SIGNATURE)
    expect(new TextDecoder().decode(bytes.slice(8))).toContain('lineTo(80,30)')
    expect(HTMLCanvasElement.prototype.toBlob).toHaveBeenCalledWith(expect.any(Function), 'image/png')
  })

  it('clears the strokes with the Clear button', async () => {
    const ref = createRef<SignaturePadHandle>()
    const signed: boolean[] = []
    render(<SignaturePad id="signature" label="Signature box" ref={ref} onChange={(s) => signed.push(s)} />)
    const clear = screen.getByRole('button', { name: 'Clear' }) as HTMLButtonElement
    expect(clear.disabled).toBe(true)
    fireEvent.pointerDown(screen.getByRole('img'), { pointerId: 1, clientX: 5, clientY: 5 })
    fireEvent.pointerUp(screen.getByRole('img'), { pointerId: 1 })
    await act(async () => fireEvent.click(clear))
    expect(signed).toEqual([true, false])
    await expect(ref.current!.toPng()).rejects.toThrow('Sign in the box first')
  })
})

/** jsdom's Blob has no arrayBuffer(); FileReader reads it. */
function readBlob(blob: Blob) {
  return new Promise<ArrayBuffer>((resolve) => {
    const reader = new FileReader()
    reader.onload = () => resolve(reader.result as ArrayBuffer)
    reader.readAsArrayBuffer(blob)
  })
}

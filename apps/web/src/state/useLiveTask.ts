import type { MarketEvent } from '@taskmarket/sdk'
import { useEffect, useRef, useState } from 'react'
import { client } from '../lib/api.ts'

export type LiveEvent = MarketEvent & { at: number }

/**
 * Subscribes to a task's live events over WebSocket (`task:<id>`): keeps the last ones for a timeline and
 * calls `onChange` (debounced) so the page reloads what changed. `live` turns true once subscribed.
 */
export function useLiveTask(id: string, onChange: () => void) {
  const [events, setEvents] = useState<LiveEvent[]>([])
  const [live, setLive] = useState(false)
  const changed = useRef(onChange)
  changed.current = onChange
  useEffect(() => {
    setEvents([])
    setLive(false)
    let timer: ReturnType<typeof setTimeout> | undefined
    let close: (() => void) | undefined
    try {
      close = client.subscribe(`task:${id}`, (event) => {
        if (event.type === 'SUBSCRIBED') {
          setLive(true)
          return
        }
        setEvents((list) => [{ ...event, at: Date.now() }, ...list].slice(0, 50))
        clearTimeout(timer)
        timer = setTimeout(() => changed.current(), 150)
      })
    } catch {
      setLive(false)
    }
    return () => {
      clearTimeout(timer)
      close?.()
    }
  }, [id])
  return { events, live }
}

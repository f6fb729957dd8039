import type { TypedApp } from '../app.ts'
import type { Common } from '../context.ts'

/**
 * WebSocket at /ws: send `{"subscribe": "task:<id>"}` (or "tasks", "workers") to receive that topic's
 * events (TASK_SUBMIT, TASK_PROGRESS, TASK_RESPONSE, TASK_VALIDATE, TASK_REWARD, JOB_OFFER).
 */
export async function liveRoutes(app: TypedApp, common: Common) {
  app.get('/ws', { websocket: true, schema: { hide: true } }, (socket) => {
    const subscriptions = new Map<string, () => void>()
    socket.on('message', (data: Buffer) => {
      let message: { subscribe?: string; unsubscribe?: string }
      try {
        message = JSON.parse(data.toString())
      } catch {
        socket.send(JSON.stringify({ type: 'ERROR', message: 'messages must be JSON' }))
        return
      }
      const topic = message.subscribe
      if (topic && /^(tasks|workers|task:[0-9a-f-]{36})$/.test(topic) && !subscriptions.has(topic)) {
        subscriptions.set(topic, common.events.subscribe(topic, (event) => socket.send(JSON.stringify(event))))
        socket.send(JSON.stringify({ type: 'SUBSCRIBED', topic }))
      } else if (message.unsubscribe) {
        subscriptions.get(message.unsubscribe)?.()
        subscriptions.delete(message.unsubscribe)
      }
    })
    socket.on('close', () => {
      for (const off of subscriptions.values()) off()
    })
  })
}

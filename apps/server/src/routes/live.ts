import type { TypedApp } from '../app.ts'
import type { Common } from '../context.ts'
import { loadTask } from './taskViews.ts'

/** WebSocket connections one client (IP address) may hold open. */
export const MAX_SOCKETS_PER_CLIENT = 32
/** Topics one socket may subscribe to. */
export const MAX_SUBSCRIPTIONS_PER_SOCKET = 64
const TOPIC = /^(tasks|workers|task:[0-9a-f-]{36})$/

/**
 * WebSocket at /ws: send `{"subscribe": "task:<id>"}` (or "tasks", "workers") to receive that topic's
 * events (TASK_SUBMIT, TASK_PROGRESS, TASK_RESPONSE, TASK_VALIDATE, TASK_REWARD, JOB_OFFER). A task's topic
 * is open to whoever may see the task (GET /tasks/{id}); the public "tasks" topic carries unrestricted tasks only.
 */
export async function liveRoutes(app: TypedApp, common: Common) {
  const sockets = new Map<string, number>()

  app.get('/ws', { websocket: true, schema: { hide: true } }, (socket, request) => {
    const client = request.ip
    const open = sockets.get(client) ?? 0
    const send = (message: object) => socket.send(JSON.stringify(message))
    if (open >= MAX_SOCKETS_PER_CLIENT) {
      send({ type: 'ERROR', code: 'RATE_LIMITED', message: `too many connections: at most ${MAX_SOCKETS_PER_CLIENT} per client` })
      socket.close(1008, 'too many connections')
      return
    }
    sockets.set(client, open + 1)
    const viewer = request.auth?.address
    const subscriptions = new Map<string, () => void>()

    const subscribe = async (topic: string) => {
      if (!TOPIC.test(topic)) return send({ type: 'ERROR', code: 'VALIDATION', message: `subscribe: unknown topic "${topic.slice(0, 80)}"; use tasks, workers or task:<id>` })
      if (subscriptions.has(topic)) return
      if (subscriptions.size >= MAX_SUBSCRIPTIONS_PER_SOCKET) return send({ type: 'ERROR', code: 'RATE_LIMITED', message: `subscribe: at most ${MAX_SUBSCRIPTIONS_PER_SOCKET} topics per connection` })
      if (topic.startsWith('task:') && !(await loadTask(common.db, topic.slice(5), { viewer, eligibility: common.eligibility }))) {
        return send({ type: 'ERROR', code: 'NOT_FOUND', message: `subscribe: no such task ${topic.slice(5)}` })
      }
      if (subscriptions.has(topic) || socket.readyState !== socket.OPEN) return
      subscriptions.set(topic, common.events.subscribe(topic, (event) => send(event)))
      send({ type: 'SUBSCRIBED', topic })
    }

    socket.on('message', (data: Buffer) => {
      let message: { subscribe?: unknown; unsubscribe?: unknown }
      try {
        message = JSON.parse(data.toString())
      } catch {
        return send({ type: 'ERROR', code: 'VALIDATION', message: 'messages must be JSON' })
      }
      if (typeof message?.subscribe === 'string') {
        subscribe(message.subscribe).catch(() => send({ type: 'ERROR', code: 'INTERNAL', message: 'subscribe failed; try again' }))
      } else if (typeof message?.unsubscribe === 'string') {
        subscriptions.get(message.unsubscribe)?.()
        subscriptions.delete(message.unsubscribe)
      }
    })
    socket.on('close', () => {
      for (const off of subscriptions.values()) off()
      subscriptions.clear()
      const left = (sockets.get(client) ?? 1) - 1
      if (left > 0) sockets.set(client, left)
      else sockets.delete(client)
    })
  })
}

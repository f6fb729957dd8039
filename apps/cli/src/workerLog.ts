import type { WorkerEvent } from '@taskmarket/worker'

/**
 * One JSON log line for a worker event. A lease's payload (a rendering's whole scene, say) is left out:
 * its size stands in, and the task id finds the payload through GET /tasks/{id}.
 * @example workerLogLine({ type: 'job_started', lease }) // '{"time":"…","type":"job_started","lease":{…,"payload_bytes":1834}}'
 */
export function workerLogLine(event: WorkerEvent, now = new Date()): string {
  if (event.type !== 'job_started') return JSON.stringify({ time: now.toISOString(), ...event })
  const { payload, ...lease } = event.lease
  return JSON.stringify({ time: now.toISOString(), type: event.type, lease: { ...lease, payload_bytes: JSON.stringify(payload ?? null).length } })
}

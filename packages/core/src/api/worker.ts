import type { Hex } from 'viem'

/** A job leased to a worker: what it runs and the ids its result's seal binds. */
export type Lease = {
  assignment_id: string
  task_id: string
  job_id: string
  chain_task_id: Hex
  chain_job_id: Hex
  kind: string
  payload: unknown
  /** Unix seconds; renewed by heartbeats. */
  lease_expires_at: number
}

import { type HeartbeatResponse, type Lease, type Leases, type NodeHardware, type NodeRegistered, nodeSigningText, type Ok, type ResourceType, type ResultOutcomes } from '@taskmarket/core'
import type { Account, Address, Hex } from 'viem'
import { createClient } from './client.ts'

export type { Lease }


/**
 * The worker side of the API: every request signed with the node's key.
 * @example const node = createNodeClient({ baseUrl, account: privateKeyToAccount(key) }); await node.claim(['hash'], 4)
 */
export function createNodeClient({ baseUrl, account, fetch }: { baseUrl: string; account: Account & { signMessage?: (a: { message: string }) => Promise<Hex> }; fetch?: typeof globalThis.fetch }) {
  let last = 0
  const client = createClient({
    baseUrl,
    fetch,
    async sign(method, path, body) {
      // Strictly increasing timestamps keep two requests in one millisecond from sharing a signature.
      const timestamp = String((last = Math.max(Date.now(), last + 1)))
      const signature = await account.signMessage!({ message: nodeSigningText(method, path, timestamp, body) })
      return { 'x-node-address': account.address, 'x-node-timestamp': timestamp, 'x-node-signature': signature }
    },
  })
  const { http } = client
  return {
    address: account.address as Address,
    blobs: client.blobs,
    /** The signed HTTP client itself, for routes without a helper (seed 000's /tasks/next, /tasks/complete). */
    http,
    /** Advertises the node: what it runs, and what it offers for matching (resource type, region, price per unit, hardware). */
    register: (info: { cores: number; memory_mb: number; executors: string[]; concurrency: number; version?: string; resource_type?: ResourceType; region?: string; price_per_unit?: string; hardware?: NodeHardware }) =>
      http.json<NodeRegistered>('POST', '/nodes/register', info),
    claim: (kinds: string[], max: number) => http.json<Leases>('POST', '/jobs/claim', { kinds, max }),
    heartbeat: (leases: { assignment_id: string; progress?: number }[]) =>
      http.json<HeartbeatResponse>('POST', '/jobs/heartbeat', { leases }),
    submit: (results: { assignment_id: string; digest: Hex | null; seal?: Hex; error?: string; error_code?: string }[]) =>
      http.json<ResultOutcomes>('POST', '/jobs/results', { results }),
    release: (assignment_ids: string[]) => http.json<Ok>('POST', '/jobs/release', { assignment_ids }),
  }
}

export type NodeClient = ReturnType<typeof createNodeClient>

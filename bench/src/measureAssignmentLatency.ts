import { devAccount } from '@taskmarket/chain'
import { createNodeClient } from '@taskmarket/sdk'
import WebSocket from 'ws'
import type { BenchMarket } from './startBenchMarket.ts'
import { type Summary, summarize } from './summarize.ts'

export type AssignmentLatency = {
  backend: string
  samples: number
  /** JOB_OFFER received over WebSocket (the escrow lock has committed) → the worker's claim returns the lease. */
  offerToLease: Summary
  /** POST /tasks returned → the first lease, end to end: relayer, on-chain lock (receipt), activation, offer, claim. */
  postToLease: Summary
  /** How long POST /tasks itself took (validation, planning, escrow checks on chain, one transaction). */
  post: Summary
}

/**
 * Post-to-first-assignment latency on loopback, one task at a time (`synthetic`, one job, replication 1).
 * A worker listens on the WebSocket `workers` topic as apps/worker does and claims the moment a JOB_OFFER
 * arrives. A task is offered only once the relayer has locked its escrow on chain, so two figures:
 * offer → lease (the market's own dispatch latency) and POST returned → lease (including the chain).
 * The leases are left to run out: nothing else is measured on this market afterwards.
 * @example const l = await measureAssignmentLatency({ market, samples: 200 }); l.offerToLease.p50
 */
export async function measureAssignmentLatency({ market, samples = 200 }: { market: BenchMarket; samples?: number }): Promise<AssignmentLatency> {
  const node = createNodeClient({ baseUrl: market.server.url, account: devAccount(98) })
  const socket = new WebSocket(`${market.server.url.replace(/^http/, 'ws')}/ws`)
  let onOffer: (() => void) | undefined
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject)
    socket.on('message', (data) => {
      const event = JSON.parse(String(data))
      if (event.type === 'SUBSCRIBED') resolve()
      if (event.type === 'JOB_OFFER') onOffer?.()
    })
    socket.once('open', () => socket.send(JSON.stringify({ subscribe: 'workers' })))
  })

  const offerToLease: number[] = []
  const postToLease: number[] = []
  const post: number[] = []
  try {
    for (let i = -5; i < samples; i++) {
      // Armed before posting; the claim runs inside the message handler's turn, as a woken worker's does.
      let offered = 0
      const leased = new Promise<number>((resolve, reject) => {
        onOffer = () => {
          onOffer = undefined
          offered = performance.now()
          claimUntilLeased().then(resolve, reject)
        }
      })
      const t0 = performance.now()
      await market.api.tasks.create({
        challenge_type: 'synthetic',
        payload: { seed: `0x${(i + 1000).toString(16)}`, matrix_size: 4, iterations: 1 },
        reward: '0.01',
        replication: { min_quorum: 1, target_results: 1, max_total_results: 2 },
      })
      const posted = performance.now()
      const got = await withTimeout(leased, 30_000, 'a job offer and its lease')
      // The first five are warm-up.
      if (i < 0) continue
      post.push(posted - t0)
      postToLease.push(got - posted)
      offerToLease.push(got - offered)
    }
  } finally {
    onOffer = undefined
    socket.close()
  }
  return { backend: market.backend, samples, offerToLease: summarize(offerToLease), postToLease: summarize(postToLease), post: summarize(post) }

  async function claimUntilLeased(): Promise<number> {
    for (let tries = 0; tries < 1000; tries++) {
      const { leases } = await node.claim(['synthetic'], 1)
      if (leases.length) return performance.now()
    }
    throw new Error('the offered job was never leased')
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms))),
  ])
}

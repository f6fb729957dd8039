import { recoverMessageAddress } from 'viem'
import { devAccount } from '@taskmarket/chain'
import { nodeSigningText } from '@taskmarket/core'
import { createNodeClient } from '@taskmarket/sdk'
import type { BenchMarket } from './startBenchMarket.ts'
import { type Summary, summarize } from './summarize.ts'

/**
 * What one claim costs, part by part, each timed on its own `samples` times on a running market (part of
 * `--profile`): the bare HTTP round trip (GET /healthz), the node's request signature (client side), its
 * verification (server side, the same viem call the auth hook makes), the `trustLevel` eth_call every
 * claim makes to the chain, the orchestrator's claim transaction with nothing to lease and leasing one
 * job, and a whole signed claim over HTTP that leases nothing.
 * @example printClaimProfile(await profileClaim({ market, samples: 100 }))
 */
export async function profileClaim({ market, samples = 100 }: { market: BenchMarket; samples?: number }) {
  const account = devAccount(97)
  const { server } = market
  const node = createNodeClient({ baseUrl: server.url, account })
  const body = JSON.stringify({ kinds: ['hash'], max: 1 })
  const time = async (fn: (i: number) => Promise<unknown>): Promise<Summary> => {
    for (let i = 0; i < 5; i++) await fn(i)
    const ms: number[] = []
    for (let i = 0; i < samples; i++) {
      const t = performance.now()
      await fn(i)
      ms.push(performance.now() - t)
    }
    return summarize(ms)
  }
  const message = nodeSigningText('POST', '/jobs/claim', String(Date.now()), body)
  const signature = await account.signMessage({ message })
  await market.postHashTasks(samples + 5)
  return {
    http: await time(() => fetch(`${server.url}/healthz`).then((r) => r.text())),
    sign: await time((i) => account.signMessage({ message: `${message}${i}` })),
    verify: await time(() => recoverMessageAddress({ message, signature })),
    trustLevel: await time(() => server.chain.contracts.registry.read.trustLevel([account.address])),
    claimNothing: await time(() => server.orchestrator.claim(account.address, { kinds: ['training'], max: 1 })),
    claimOne: await time(() => server.orchestrator.claim(account.address, { kinds: ['hash'], max: 1 })),
    httpClaimNothing: await time(() => node.claim(['training'], 1)),
  }
}

/** Prints what profileClaim found. */
export function printClaimProfile(p: Awaited<ReturnType<typeof profileClaim>>) {
  const parts: [string, Summary][] = [
    ['HTTP round trip, GET /healthz', p.http],
    ['client: sign the request (secp256k1)', p.sign],
    ['server: verify the signature (recoverMessageAddress)', p.verify],
    ['server: registry.trustLevel eth_call to the chain', p.trustLevel],
    ['server: orchestrator.claim, nothing to lease', p.claimNothing],
    ['server: orchestrator.claim, leases one job', p.claimOne],
    ['whole signed POST /jobs/claim, leases nothing', p.httpClaimNothing],
  ]
  console.log('\n  One claim, part by part (each timed alone, ms):     p50      p99')
  for (const [name, s] of parts) console.log(`    ${name.padEnd(52)} ${s.p50.toFixed(2).padStart(7)}  ${s.p99.toFixed(2).padStart(7)}`)
}

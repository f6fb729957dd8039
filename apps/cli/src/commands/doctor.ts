import { args } from '../args.ts'
import type { Output } from '../output.ts'
import { openSession } from './session.ts'

export const doctorHelp = `taskmarket doctor [--server URL]

Checks a running market: the server answers, its database and chain are ready, and the escrow the server
believes in is what the chain holds (its last reconciliation: drift per task, outbox items in quarantine).
With the operator's key (TASKMARKET_KEY) it asks for a fresh reconciliation. Exits 1 when something is wrong.`

/** `taskmarket doctor`: health, readiness and the escrow reconciliation of a market, in one look. */
export async function doctor(argv: string[], out: Output): Promise<number> {
  const { values } = args(argv, { server: { type: 'string' }, key: { type: 'string' }, 'api-key': { type: 'string' } })
  const { client, account, baseUrl } = await openSession(values, { needAuth: false })
  const config = await client.market.config()
  let operator = false
  if (account && account.address.toLowerCase() === config.operator.toLowerCase()) {
    await client.auth.signIn(account, { chainId: config.chain_id })
    operator = true
  }
  const ready = await client.http.raw('GET', '/readyz').then((r) => r.ok, () => false)
  const report = await client.market.reconciliation({ fresh: operator })
  const quarantined = Object.values(report.quarantined).reduce((a, b) => a + b, 0)
  const healthy = ready && report.drift.length === 0 && report.escrowed.api === report.escrowed.chain
  const lines = [
    `server     ${baseUrl} (chain ${config.chain_id}, operator ${config.operator})`,
    `ready      ${ready ? 'yes: database and chain answer' : 'NO: the database or the chain does not answer (GET /readyz)'}`,
    `escrow     ${report.escrowed.api} locked by the server's books, ${report.escrowed.chain} on chain, over ${report.tasks_checked} open tasks (${report.in_flight} moving); the escrow contract holds ${report.escrowed.held}`,
    `drift      ${report.drift.length === 0 ? 'none' : `${report.drift.length} differences:`}`,
    ...report.drift.map((d) => d.task_id === null
      ? `  the escrow contract holds ${d.chain}, less than the ${d.database} the server's books show locked`
      : `  task ${d.task_id}: ${d.field} is ${d.database} in the database, ${d.chain} on chain`),
    `outbox     ${quarantined === 0 ? 'nothing in quarantine' : `${quarantined} in quarantine (${Object.entries(report.quarantined).map(([k, n]) => `${n} ${k}`).join(', ')}); retried with backoff, see the server log for reasons`}`,
    `checked    ${new Date(report.checked_at * 1000).toISOString()}${operator ? ' (fresh)' : ' (the last periodic check; the operator key asks for a fresh one)'}`,
  ]
  out.result({ server: baseUrl, ready, healthy, ...report }, lines.join('\n'))
  return healthy ? 0 : 1
}

import { UsageError, args, unknownSubcommand } from '../args.ts'
import type { Output } from '../output.ts'
import { openSession } from './session.ts'

export const disputeHelp = `taskmarket dispute list
taskmarket dispute resolve ASSIGNMENT_ID --pay|--reject|--misuse [--note TEXT]

A poster's dispute freezes the task's escrow on chain. The operator (TASKMARKET_KEY = the operator's key)
resolves it: --pay approves and pays the worker, --reject rejects the work (its slot returns to the pool),
--misuse rejects it and rules misuse: half the worker's stake is slashed and it is banned for good.
Others see the disputes they are part of.`

const common = { server: { type: 'string' }, 'api-key': { type: 'string' }, key: { type: 'string' } } as const

export async function dispute(argv: string[], out: Output): Promise<number> {
  const [sub, ...rest] = argv
  switch (sub) {
    case 'list': {
      const { values } = args(rest, common)
      const { client } = await openSession(values)
      const { assignments } = await client.work.disputes()
      const lines = assignments.map((a) => `${a.assignment_id}  ${a.task_title}  worker ${a.worker}  "${a.review?.reason ?? ''}"`)
      out.result({ assignments }, assignments.length ? lines.join('\n') : 'no open disputes')
      return 0
    }
    case 'resolve': {
      const { values, positionals } = args(rest, { ...common, pay: { type: 'boolean' }, reject: { type: 'boolean' }, misuse: { type: 'boolean' }, note: { type: 'string' } })
      const id = positionals[0]
      if (!id) throw new UsageError('give the assignment id (taskmarket dispute list shows them)')
      if ([values.pay, values.reject, values.misuse].filter(Boolean).length !== 1) throw new UsageError('give exactly one of --pay, --reject or --misuse')
      const { client } = await openSession(values)
      const resolved = await client.work.resolve(id, values.pay ? 'pay_worker' : values.misuse ? 'misuse' : 'reject', values.note)
      const after = values.pay ? '; the payment is queued and the task unfrozen' : values.misuse ? '; half the worker’s stake is slashed and it is banned with the next settle batch' : '; the slot is back in the pool'
      out.result(resolved, `assignment ${id} ${resolved.status}${after}`)
      return 0
    }
    default:
      throw unknownSubcommand('dispute', sub, disputeHelp)
  }
}

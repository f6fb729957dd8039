import { createWriteStream, readFileSync, statSync } from 'node:fs'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { ApiError } from '@taskmarket/sdk'
import { type CreateTaskBody, challengeTypes } from '@taskmarket/core'
import { UsageError, args, numberOption, unknownSubcommand } from '../args.ts'
import type { Output } from '../output.ts'
import { openSession } from './session.ts'

export const taskHelp = `taskmarket task create --type KIND --payload JSON|@file --reward AMOUNT [--replication N] [--deadline SECONDS] [--wait]
taskmarket task list [--status S] [--type KIND] [--limit N] [--offset N]
taskmarket task show ID
taskmarket task wait ID
taskmarket task result ID [--out FILE]   (rendering: the PNG; hash, synthetic: one JSON line per job;
                                          wasm: the jobs' outputs concatenated in job order)

Credentials: TASKMARKET_API_KEY (or --api-key) posts through your operator allowance; TASKMARKET_KEY (or
--key FILE) signs in and signs each order with your wallet. --server (or TASKMARKET_SERVER) picks the market.`

const common = { server: { type: 'string' }, 'api-key': { type: 'string' }, key: { type: 'string' } } as const

export async function task(argv: string[], out: Output): Promise<number> {
  const [sub, ...rest] = argv
  switch (sub) {
    case 'create': {
      const { values } = args(rest, { ...common, type: { type: 'string' }, payload: { type: 'string' }, reward: { type: 'string' }, replication: { type: 'string' }, deadline: { type: 'string' }, wait: { type: 'boolean' } })
      if (!values.type) throw new UsageError(`--type is required (${challengeTypes.join(', ')})`)
      if (!values.reward) throw new UsageError('--reward is required, e.g. --reward 10')
      const payloadText = values.payload?.startsWith('@') ? readFileSync(values.payload.slice(1), 'utf8') : (values.payload ?? '{}')
      let payload: Record<string, unknown>
      try {
        payload = JSON.parse(payloadText)
      } catch {
        throw new UsageError('--payload must be JSON or @file holding JSON')
      }
      const body: CreateTaskBody = {
        challenge_type: values.type as CreateTaskBody['challenge_type'],
        payload,
        reward: values.reward,
        ...(values.replication ? { replication: { target_results: numberOption(values.replication, 'replication') } } : {}),
        ...(values.deadline ? { deadline: Math.floor(Date.now() / 1000) + numberOption(values.deadline, 'deadline') } : {}),
      }
      const { client, account, apiKey } = await openSession(values)
      const created = apiKey || !account ? await client.tasks.create(body) : await client.tasks.createSigned(account, body)
      for (const warning of created.warnings ?? []) out.info(`warning: ${warning}`)
      if (!values.wait) {
        out.result(created, `task ${created.task_id} posted (${created.status}); follow it with: taskmarket task wait ${created.task_id}`)
        return 0
      }
      out.info(`task ${created.task_id} posted`)
      return waitFor(client, created.task_id, out)
    }
    case 'list': {
      const { values } = args(rest, { ...common, status: { type: 'string' }, type: { type: 'string' }, limit: { type: 'string' }, offset: { type: 'string' } })
      const { client } = await openSession(values, { needAuth: false })
      const page = await client.tasks.list({ status: values.status, challenge_type: values.type, limit: values.limit ? numberOption(values.limit, 'limit') : undefined, offset: values.offset ? numberOption(values.offset, 'offset') : undefined })
      const text = [`${page.total} tasks (showing ${page.offset + 1}–${page.offset + page.tasks.length})`, ...page.tasks.map((t) => `${t.task_id}  ${t.challenge_type.padEnd(10)} ${t.status.padEnd(12)} ${t.reward.padStart(10)}  ${Math.round(t.progress * 100)}%`)].join('\n')
      out.result(page, text)
      return 0
    }
    case 'show': {
      const { values, positionals } = args(rest, common)
      const { client } = await openSession(values, { needAuth: false })
      const t = await client.tasks.get(requireId(positionals))
      out.result(t, `${t.task_id}\n  type      ${t.challenge_type}\n  status    ${t.status}${t.failure_reason ? ` (${t.failure_reason})` : ''}\n  reward    ${t.reward}\n  progress  ${t.progress.jobs_done}/${t.progress.jobs_total} jobs\n  escrow    ${t.escrow.state} ${t.escrow.tx_hash ?? ''}\n  result    ${t.result?.result_hash ?? '-'}${t.result?.output_url ? `\n  output    ${t.result.output_url}` : ''}`)
      return 0
    }
    case 'wait': {
      const { values, positionals } = args(rest, common)
      const { client } = await openSession(values, { needAuth: false })
      return waitFor(client, requireId(positionals), out)
    }
    case 'result': {
      const { values, positionals } = args(rest, { ...common, out: { type: 'string' } })
      const { client } = await openSession(values, { needAuth: false })
      const id = requireId(positionals)
      const t = await client.tasks.get(id)
      if (!t.result) {
        out.result(t.result, `no result yet (${t.status})`)
        return 1
      }
      let response: Response
      try {
        response = await client.tasks.resultResponse(id)
      } catch (error) {
        // Manual tasks and polls have no output file: their result is all there is to show.
        if (!(error instanceof ApiError) || error.status !== 409 || values.out) throw error
        out.result(t.result, `result hash ${t.result.result_hash} by ${t.result.worker_address}\n(${error.message})`)
        return 0
      }
      const file = values.out ?? /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `${id}.bin`
      const contentType = response.headers.get('content-type') ?? 'application/octet-stream'
      await pipeline(Readable.fromWeb(response.body as never), createWriteStream(file))
      const bytes = statSync(file).size
      out.result({ ...t.result, file, bytes, content_type: contentType }, `wrote ${bytes} bytes to ${file} (${contentType})`)
      return 0
    }
    default:
      throw unknownSubcommand('task', sub, taskHelp)
  }
}

async function waitFor(client: Awaited<ReturnType<typeof openSession>>['client'], id: string, out: Output) {
  // Says why a task waits (no escrow yet, too few distinct workers online) while it does.
  const t = await client.tasks.wait(id, { onProgress: (t) => out.progress(t.progress.fraction, `${t.status} ${t.progress.jobs_done}/${t.progress.jobs_total} jobs${t.waiting ? `: ${t.waiting.reason}` : ''}`) })
  out.done()
  out.result(t, `task ${t.task_id} ${t.status}${t.failure_reason ? `: ${t.failure_reason}` : ''}${t.result?.result_hash ? `\n  result ${t.result.result_hash}` : ''}`)
  return t.status === 'completed' ? 0 : 1
}

function requireId(positionals: string[]) {
  const id = positionals[0]
  if (!id) throw new UsageError('give the task id')
  return id
}

import { args, unknownSubcommand, UsageError } from '../args.ts'
import type { Output } from '../output.ts'
import { openSession } from './session.ts'

export const apiKeyHelp = `taskmarket api-key create [--name NAME]
taskmarket api-key list
taskmarket api-key revoke ID

API keys let programs post tasks over HTTP (Authorization: Bearer tm_…); posting with one uses the allowance
you gave the operator (taskmarket wallet approve). Managing keys signs in with your wallet: TASKMARKET_KEY
(or --key FILE). A new key is printed once; the market keeps only its hash.`

const options = { server: { type: 'string' }, key: { type: 'string' }, name: { type: 'string' } } as const

/** `taskmarket api-key create|list|revoke`: the API keys page of the web app, from the command line. */
export async function apiKey(argv: string[], out: Output): Promise<number> {
  const [sub, ...rest] = argv
  if (sub !== 'create' && sub !== 'list' && sub !== 'revoke') throw unknownSubcommand('api-key', sub, apiKeyHelp)
  const { values, positionals } = args(rest, options)
  // Keys are made by a wallet session, never by another key.
  const { client } = await openSession(values, { walletOnly: true })
  if (sub === 'create') {
    const created = await client.apiKeys.create(values.name ?? `cli ${new Date().toISOString().slice(0, 10)}`)
    out.result(created, `API key "${created.name}" created (${created.id}); it is shown only now:\n${created.key}\n\nexport TASKMARKET_API_KEY=${created.key}`)
    return 0
  }
  if (sub === 'list') {
    const { keys } = await client.apiKeys.list()
    const date = (s: number | null) => (s ? new Date(s * 1000).toISOString().slice(0, 16).replace('T', ' ') : 'never')
    out.result({ keys }, keys.length ? keys.map((k) => `${k.id}  ${k.prefix}…  ${k.name}  created ${date(k.created_at)}, last used ${date(k.last_used_at)}`).join('\n') : 'no API keys')
    return 0
  }
  const id = positionals[0]
  if (!id) throw new UsageError('give the key id (taskmarket api-key list shows them)', apiKeyHelp)
  out.result(await client.apiKeys.revoke(id), `API key ${id} revoked`)
  return 0
}

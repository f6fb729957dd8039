import { getTaskMarketContracts } from '@taskmarket/chain'
import { formatTokens, parseTokens } from '@taskmarket/core'
import { type Hex, createPublicClient, createWalletClient, defineChain, http, maxUint256, parseEther } from 'viem'
import { UsageError, args, unknownSubcommand } from '../args.ts'
import type { Output } from '../output.ts'
import { loadAccount, openSession } from './session.ts'

export const walletHelp = `taskmarket wallet balance
taskmarket wallet buy --eth AMOUNT        (TokenSale; on a local chain: --faucet AMOUNT instead)
taskmarket wallet deposit AMOUNT          (into the escrow ledger)
taskmarket wallet withdraw AMOUNT
taskmarket wallet approve [AMOUNT]        (let the operator post tasks for your API keys; default unlimited)

Needs TASKMARKET_KEY (or --key FILE); --rpc (or RPC_URL) when the market's chain is not local.`

const walletCommands = ['balance', 'buy', 'deposit', 'withdraw', 'approve'] as const

/** What each balance means, in the order shown; a field the server adds later is shown too, by its name. */
const balanceLabels: Record<string, string> = {
  eth: 'ETH (pays gas)',
  wallet: 'tokens in your wallet',
  deposited: 'in escrow, free to post or withdraw',
  locked: 'locked in your open tasks',
  awaiting: 'posted, being locked on chain',
  staked: 'staked by your node',
  unstaking: 'unstaking (withdrawable after the cooldown)',
}

/** `wallet balance` for people: every field of the JSON answer, each with what it means. */
export function balanceText(balance: Record<string, unknown>): string {
  const { address, ...amounts } = balance
  const keys = [...Object.keys(balanceLabels).filter((k) => k in amounts), ...Object.keys(amounts).filter((k) => !(k in balanceLabels))]
  const width = Math.max(...keys.map((k) => k.length))
  return [String(address), ...keys.map((k) => `  ${k.padEnd(width)}  ${String(amounts[k]).padStart(12)}  ${balanceLabels[k] ?? ''}`.trimEnd())].join('\n')
}

export async function wallet(argv: string[], out: Output): Promise<number> {
  const [sub, ...rest] = argv
  if (!walletCommands.includes(sub as never)) throw unknownSubcommand('wallet', sub, walletHelp)
  const { values, positionals } = args(rest, { server: { type: 'string' }, key: { type: 'string' }, rpc: { type: 'string' }, eth: { type: 'string' }, faucet: { type: 'string' } })
  const account = loadAccount(values.key)
  if (!account) throw new UsageError('set TASKMARKET_KEY or --key FILE: wallet commands sign transactions')
  const { client } = await openSession(values, { needAuth: sub === 'balance', walletOnly: true })
  const config = await client.market.config()
  const rpcUrl = values.rpc ?? process.env.RPC_URL ?? config.rpc_url
  if (!rpcUrl) throw new UsageError('this market’s chain is not local: give --rpc URL (or RPC_URL)')
  const chain = defineChain({ id: config.chain_id, name: 'market', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [rpcUrl] } } })
  const pub = createPublicClient({ chain, transport: http(rpcUrl), pollingInterval: 200 })
  const c = getTaskMarketContracts(config.contracts, { public: pub, wallet: createWalletClient({ account, chain, transport: http(rpcUrl) }) })
  const confirm = async (label: string, hash: Hex) => {
    out.progress(0.5, `${label}: sent ${hash}, waiting to be mined`)
    const receipt = await pub.waitForTransactionReceipt({ hash })
    out.progress(1, `${label}: mined in block ${receipt.blockNumber}`)
    out.done()
    if (receipt.status !== 'success') throw new Error(`${label} reverted`)
    return receipt
  }
  const amount = (name = 'AMOUNT') => {
    if (!positionals[0]) throw new UsageError(`give the ${name}, e.g. 100`)
    return parseTokens(positionals[0], name.toLowerCase())
  }

  switch (sub) {
    case 'balance': {
      const b = await client.wallet.get()
      out.result(b, balanceText(b))
      return 0
    }
    case 'buy': {
      if (values.faucet) {
        const tokens = parseTokens(values.faucet, 'faucet')
        await confirm('faucet', await c.sale.write.faucet([account.address, tokens]))
        out.result({ tokens: formatTokens(tokens) }, `received ${formatTokens(tokens)} tokens from the faucet`)
        return 0
      }
      if (!values.eth) throw new UsageError('give --eth AMOUNT (or --faucet AMOUNT on a local chain)')
      const value = parseEther(values.eth)
      const tokens = await c.sale.read.quote([value])
      await confirm('buy', await c.sale.write.buy([account.address], { value }))
      out.result({ eth: values.eth, tokens: formatTokens(tokens) }, `bought ${formatTokens(tokens)} tokens for ${values.eth} ETH`)
      return 0
    }
    case 'deposit': {
      const value = amount()
      if ((await c.token.read.allowance([account.address, c.escrow.address])) < value) await confirm('approve', await c.token.write.approve([c.escrow.address, value]))
      await confirm('deposit', await c.escrow.write.deposit([value]))
      out.result({ deposited: formatTokens(value) }, `deposited ${formatTokens(value)}`)
      return 0
    }
    case 'withdraw': {
      const value = amount()
      await confirm('withdraw', await c.escrow.write.withdraw([value]))
      out.result({ withdrawn: formatTokens(value) }, `withdrew ${formatTokens(value)}`)
      return 0
    }
    case 'approve': {
      const value = positionals[0] ? amount() : maxUint256
      await confirm('approve operator', await c.escrow.write.approveOperator([config.operator, value]))
      out.result({ operator: config.operator, allowance: value === maxUint256 ? 'unlimited' : formatTokens(value) }, `the operator may now lock ${value === maxUint256 ? 'any amount' : formatTokens(value)} of your deposit in tasks posted with your API keys`)
      return 0
    }
    default:
      throw unknownSubcommand('wallet', sub, walletHelp)
  }
}

/**
 * The gas figures of DESIGN.md section 9: gas per external function (one representative call each, from
 * receipts) and the headline, the amortized gas of one 3-replica compute task: (a 100-task create batch + one
 * settle batch paying those 100 tasks, 3 workers each) / 100, along the paths of `GAS_PATHS`. Runs its own
 * anvil in a temp folder. `npm run gas` prints it; the benchmark reports it.
 *
 * Task ids are numbered per poster, as the server numbers them, so a poster's consecutive tasks share one
 * escrow slot; the "unpaired" path shows the cost when each task's slot-mate never comes.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type Address,
  type Hex,
  type PrivateKeyAccount,
  getAddress,
  keccak256,
  maxUint256,
  parseEther,
  slice,
  toHex,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { chainTaskId, startLocalChain } from '@taskmarket/chain'
import { type GasContext, type GasRow, createGasContext } from './createGasContext.ts'
import { measureFunctions } from './measureFunctions.ts'
import { settleBatch } from './settleBatch.ts'

export type { GasRow } from './createGasContext.ts'

/** DESIGN.md section 9's target for the headline. */
export const GAS_TARGET = 40_000n
/** iExec PoCo's gas for one task (initialize + 3 contribute + 3 reveal + finalize), for comparison. */
export const GAS_POCO = 1_500_000n
/** Tasks per create and settle batch. */
export const GAS_BATCH = 100
/** Posters whose tasks each batch interleaves. */
export const GAS_POSTERS = 10
/** Workers the settle batches draw from (besides the never-paid ones of the `fresh` path). */
export const GAS_WORKER_POOL = 20
const TASK_AMOUNT = parseEther('1')
const REPLICAS = 3

/** A path's gas per task, amortized over a batch: creating it, settling it, both. */
export type GasPath = { path: string; create: bigint; settle: bigint; total: bigint }

export type MeasureGasReturnType = {
  rows: GasRow[]
  paths: GasPath[]
  /** Gas per 3-replica compute task on the first path (operator allowance). */
  headline: bigint
}

/** How a path's batch of tasks is created: one allowance call, one call of signed orders, or a call each. */
type CreateKind = 'allowance' | 'orders' | 'poster'

export type GasPathSpec = {
  path: string
  /** Names the settle batch (its id and its job ids derive from it). */
  tag: string
  create: CreateKind
  /** Step of each poster's task numbers: 2 leaves every task's slot-mate unused. */
  stride?: bigint
  /** `fresh`: each job paid to a worker never paid before, instead of one from the pool. */
  workers?: 'pool' | 'fresh'
  /** `reputations`: the settle batch also stores a reputation for every worker of the pool. */
  trust?: 'reputations'
  /** Notes under which the batch's create and settle transactions also appear among the rows. */
  rows?: { create?: string; settle?: string }
}

/** The measured paths, run in this order (each leaves slots, nonces and balances written for the next). */
export const GAS_PATHS: readonly GasPathSpec[] = [
  {
    path: 'operator allowance (headline)',
    tag: 'allowance',
    create: 'allowance',
    rows: { create: '100 tasks', settle: '100 tasks x 3 workers' },
  },
  { path: 'relayed, poster-signed orders', tag: 'relayed', create: 'orders', rows: { create: '100 orders' } },
  { path: 'createTask by the poster, 1 tx each', tag: 'by poster', create: 'poster' },
  {
    path: 'allowance, 3 never-paid workers',
    tag: 'fresh',
    create: 'allowance',
    workers: 'fresh',
    rows: { settle: '100 tasks x 3 never-paid workers' },
  },
  {
    path: 'allowance, unpaired slots',
    tag: 'unpaired',
    create: 'allowance',
    stride: 2n,
    rows: { create: '100 tasks, each alone in its slot', settle: '100 tasks x 3 workers, each alone in its slot' },
  },
  {
    path: 'allowance, workers’ reputations',
    tag: 'reputations',
    create: 'allowance',
    trust: 'reputations',
    rows: { settle: `100 tasks x 3 workers, ${GAS_WORKER_POOL} reputations` },
  },
]

const CREATE_FUNCTION = { allowance: 'createTasksFromAllowance', orders: 'createTasksFor', poster: 'createTask' }

/**
 * Deploys the contracts on a fresh anvil and measures every function and every path of `GAS_PATHS`.
 * @example const { headline, paths } = await measureGas()
 */
export async function measureGas(): Promise<MeasureGasReturnType> {
  const dataDir = mkdtempSync(join(tmpdir(), 'taskmarket-gas-'))
  const chain = await startLocalChain({ dataDir, stateInterval: 3600 })
  try {
    const ctx = await createGasContext(chain.rpcUrl, dataDir)
    // Accounts beyond anvil's ten: posters with keys (they sign orders), workers as bare addresses.
    const posters = Array.from({ length: GAS_POSTERS }, (_, i) =>
      privateKeyToAccount(keccak256(toHex(`gas poster ${i}`))),
    )
    for (const p of posters) await ctx.testClient.setBalance({ address: p.address, value: parseEther('10') })
    await measureFunctions(ctx)
    const paths = await measurePaths(ctx, posters)
    return { rows: ctx.rows, paths, headline: paths[0].total }
  } finally {
    await chain.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/** Runs `GAS_PATHS` in order after a warm-up round, adding the rows they name to `ctx.rows`. */
async function measurePaths(ctx: GasContext, posters: PrivateKeyAccount[]): Promise<GasPath[]> {
  const { addresses, admin, op, send, now } = ctx
  const workerAddress = (tag: string, i: number) => getAddress(slice(keccak256(toHex(`${tag} ${i}`)), 12))
  const pool = Array.from({ length: GAS_WORKER_POOL }, (_, i) => workerAddress('gas worker', i))
  const freshWorkers = Array.from({ length: REPLICAS * GAS_BATCH }, (_, i) => workerAddress('fresh worker', i))
  const settle = (tag: string, workers: Address[], ids: Hex[], trust?: GasPathSpec['trust']) => {
    const reputations = trust ? workers.map((_, account) => ({ account, bps: 9_000 + account })) : []
    return send(op.escrow.write.settle([settleBatch(tag, workers, ids, TASK_AMOUNT, REPLICAS, { reputations })]))
  }

  // Posters funded with a finite operator allowance; a warm-up round leaves workers, posters and nonce
  // words already written, as in a market that is running.
  for (const p of posters) {
    const c = ctx.as(p)
    await send(op.sale.write.faucet([p.address, parseEther('1000')]))
    await send(c.token.write.approve([addresses.escrow, maxUint256]))
    await send(c.escrow.write.deposit([parseEther('1000')]))
    await send(c.escrow.write.approveOperator([admin.address, parseEther('900')]))
  }
  // Per-poster task numbers (from an even start, so consecutive tasks pair up in a slot); the batch
  // interleaves the posters.
  const nextLocal = posters.map(() => 1_000n)
  const batchTerms = async (stride = 1n) => {
    const deadline = (await now()) + 86_400
    return Array.from({ length: GAS_BATCH }, (_, i) => {
      const p = i % GAS_POSTERS
      const local = nextLocal[p]
      nextLocal[p] += stride
      return { taskId: chainTaskId(posters[p].address, local), amount: TASK_AMOUNT, deadline, feeScheme: 0 }
    })
  }
  let nonce = 0n
  const signedOrders = async () => {
    const list = await batchTerms()
    const expiry = (await now()) + 600
    const orders = list.map((t, i) => ({ ...t, nonce: nonce + BigInt(Math.floor(i / GAS_POSTERS)), expiry }))
    nonce += BigInt(GAS_BATCH / GAS_POSTERS)
    const signatures = await Promise.all(orders.map((o, i) => ctx.signOrder(posters[i % GAS_POSTERS], o)))
    return { orders, signatures }
  }
  /** Creates a batch of tasks the path's way: the gas of all its transactions, and the task ids. */
  const createBatch = async ({ create, stride }: GasPathSpec) => {
    if (create === 'orders') {
      const { orders, signatures } = await signedOrders()
      const gas = await send(op.escrow.write.createTasksFor([orders, signatures]))
      return { gas, ids: orders.map((o) => o.taskId) }
    }
    const list = await batchTerms(stride)
    let gas = 0n
    if (create === 'allowance') gas = await send(op.escrow.write.createTasksFromAllowance([list]))
    else {
      for (const [i, t] of list.entries()) {
        gas += await send(ctx.as(posters[i % GAS_POSTERS]).escrow.write.createTask([t]))
      }
    }
    return { gas, ids: list.map((t) => t.taskId) }
  }

  const warm = await signedOrders()
  await send(op.escrow.write.createTasksFor([warm.orders, warm.signatures]))
  await settle('warm-up', pool, warm.orders.map((o) => o.taskId))

  const paths: GasPath[] = []
  const tasks = BigInt(GAS_BATCH)
  for (const spec of GAS_PATHS) {
    const created = await createBatch(spec)
    const settled = await settle(spec.tag, spec.workers === 'fresh' ? freshWorkers : pool, created.ids, spec.trust)
    const note = spec.rows ?? {}
    const fn = CREATE_FUNCTION[spec.create]
    if (note.create) ctx.rows.push({ contract: 'TaskEscrow', fn, gas: created.gas, note: note.create })
    if (note.settle) ctx.rows.push({ contract: 'TaskEscrow', fn: 'settle', gas: settled, note: note.settle })
    const total = (created.gas + settled) / tasks
    paths.push({ path: spec.path, create: created.gas / tasks, settle: settled / tasks, total })
  }
  return paths
}

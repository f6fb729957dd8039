/**
 * Property test: random sequences of ledger, escrow and stake actions (settle batches with slashes among
 * them) by random accounts never create or lose a token. After every step: the escrow holds exactly its internal balances plus what tasks lock,
 * the registry holds exactly the stakes, and the supply is what was minted minus what was burned.
 * Invalid actions must revert with a named error and change nothing.
 */
import {
  AMOUNT_UNIT,
  MAX_SLASH_BPS,
  encodeSlash,
  encodeTaskSettlement,
  getTaskMarketContracts,
} from '@taskmarket/chain'
import fc from 'fast-check'
import {
  type Hex,
  type TransactionReceipt,
  createPublicClient,
  http,
  keccak256,
  parseEther,
  toHex,
} from 'viem'
import { foundry } from 'viem/chains'
import { beforeAll, expect, it } from 'vitest'
import { type Actor, type ActorName, ACTOR_INDEX, revertError, useFixture } from './fixture.ts'
import { burnedIn } from './registry.ts'

const f = useFixture()
const names = Object.keys(ACTOR_INDEX) as ActorName[]
const INITIAL = parseEther('1000')
const DAY = 86_400

// ------------------------------------------------------------------ steps

const actorIndex = fc.integer({ min: 0, max: names.length - 1 })
/** Mostly the operator (index 0), sometimes anyone. */
const privileged = fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, { arbitrary: actorIndex, weight: 1 })
/** Mostly a poster or worker, sometimes anyone. */
const participant = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 6 }), weight: 4 },
  { arbitrary: actorIndex, weight: 1 },
)
const amount = fc.oneof(
  fc.bigInt({ min: 0n, max: 1_000n }),
  fc.bigInt({ min: 1n, max: parseEther('400') }),
  fc.constantFrom(parseEther('1'), parseEther('10'), parseEther('100')),
)
/** Escrow comes in whole nano-tokens: mostly a multiple of AMOUNT_UNIT, sometimes not (refused). */
const escrowAmount = fc.oneof(
  { arbitrary: amount.map((a) => a - (a % AMOUNT_UNIT)), weight: 4 },
  { arbitrary: amount, weight: 1 },
)
const share = fc.record({ account: fc.integer({ min: 0, max: 4 }), weight: fc.integer({ min: 0, max: 5 }) })

const step = fc.oneof(
  fc.record({ kind: fc.constant('deposit' as const), who: participant, amount }),
  fc.record({ kind: fc.constant('withdraw' as const), who: participant, amount }),
  fc.record({
    kind: fc.constant('faucet' as const),
    who: participant,
    amount: fc.bigInt({ min: 0n, max: parseEther('200') }),
  }),
  {
    arbitrary: fc.record({
      kind: fc.constant('createTask' as const),
      who: fc.oneof({ arbitrary: fc.constantFrom(1, 2, 8), weight: 4 }, { arbitrary: actorIndex, weight: 1 }),
      ownId: fc.oneof({ arbitrary: fc.constant(true), weight: 9 }, { arbitrary: fc.constant(false), weight: 1 }),
      amount: escrowAmount,
      duration: fc.integer({ min: 60, max: 2 * DAY }),
      feeScheme: fc.integer({ min: 0, max: 3 }),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('settle' as const),
      caller: privileged,
      task: fc.nat(),
      amountBps: fc.integer({ min: 0, max: 11_000 }),
      aligned: fc.oneof({ arbitrary: fc.constant(true), weight: 9 }, { arbitrary: fc.constant(false), weight: 1 }),
      close: fc.boolean(),
      workers: fc.array(share, { maxLength: 3 }),
      validators: fc.array(share, { maxLength: 2 }),
      replayBatch: fc.oneof({ arbitrary: fc.constant(false), weight: 9 }, { arbitrary: fc.constant(true), weight: 1 }),
      // Sometimes a slash rides with the batch: a share of the stake or an amount (often more than the node
      // holds), of one of the four accounts or of an index past them (refused).
      slash: fc.option(
        fc.record({
          account: fc.integer({ min: 0, max: 4 }),
          unit: fc.constantFrom('bps' as const, 'tokens' as const),
          amount: fc.bigInt({ min: 1n, max: parseEther('400') }),
          burn: fc.boolean(),
        }),
        { nil: undefined, freq: 2 },
      ),
    }),
    weight: 3,
  },
  fc.record({ kind: fc.constant('refund' as const), caller: privileged, task: fc.nat() }),
  fc.record({ kind: fc.constant('stake' as const), who: participant, amount }),
  fc.record({ kind: fc.constant('requestUnstake' as const), who: participant, amount }),
  fc.record({ kind: fc.constant('withdrawStake' as const), who: participant }),
  fc.record({
    kind: fc.constant('slash' as const),
    caller: privileged,
    target: participant,
    amount,
    burn: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('warp' as const), seconds: fc.integer({ min: 1, max: 8 * DAY }) }),
)
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never

// ------------------------------------------------------------------ observing the chain

/** Everything the invariants and the "a revert changes nothing" check look at, read in one JSON-RPC batch. */
async function observe(reader: ReturnType<typeof getTaskMarketContracts>, tasks: readonly Hex[]) {
  const actors = names.map((n) => f.actors[n].address)
  const [wallets, ledger, nodes, locked, escrowTokens, registryTokens, supply] = await Promise.all([
    Promise.all(actors.map((a) => reader.token.read.balanceOf([a]))),
    Promise.all(actors.map((a) => reader.escrow.read.balanceOf([a]))),
    Promise.all(actors.map((a) => reader.registry.read.getNode([a]))),
    Promise.all(tasks.map((t) => reader.escrow.read.getTask([t]))),
    reader.token.read.balanceOf([f.addresses.escrow]),
    reader.token.read.balanceOf([f.addresses.registry]),
    reader.token.read.totalSupply(),
  ])
  return { wallets, ledger, nodes, locked, escrowTokens, registryTokens, supply }
}

// ------------------------------------------------------------------ the property

let baselineMinted = 0n
let batchNumber = 0
const initialTasks: Hex[] = []
const succeeded = new Map<string, number>()
const refusedWith = new Map<string, number>()

beforeAll(async () => {
  // Before useFixture's per-test snapshot: every actor may move tokens; workers and the validator are nodes.
  for (const name of names) {
    const actor = f.actors[name]
    await f.approveAll(actor)
    if (name !== 'admin' && name !== 'treasury') {
      await f.faucet(actor, INITIAL)
      baselineMinted += INITIAL
    }
  }
  // Start from a market already in use, so that most actions have something to act on.
  for (const poster of [f.poster, f.poster2, f.spare]) {
    await f.tx(poster.escrow.write.deposit([INITIAL / 2n]))
    for (const feeScheme of [0, 1, 2]) {
      const terms = {
        taskId: f.taskId(poster),
        amount: parseEther('30') + 7n * AMOUNT_UNIT, // odd, so that splits leave dust
        deadline: (await f.now()) + 3 * DAY,
        feeScheme,
      }
      await f.tx(poster.escrow.write.createTask([terms]))
      initialTasks.push(terms.taskId)
    }
  }
  for (const node of [f.worker1, f.worker2, f.worker3, f.validator]) {
    await f.tx(node.registry.write.registerNode([keccak256(toHex(node.address))]))
    await f.tx(node.registry.write.stake([INITIAL / 4n]))
  }
})

it('conserves tokens across random sequences of deposits, tasks, settlements, refunds and stakes', async () => {
  const reader = getTaskMarketContracts(
    f.addresses,
    createPublicClient({
      chain: foundry,
      transport: http(f.chain.rpcUrl, { batch: { batchSize: 200, wait: 0 } }),
      cacheTime: 0,
    }),
  )
  const settleAccounts = [f.worker1.address, f.worker2.address, f.worker3.address, f.validator.address]
  let runs = 0

  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25, size: 'max' }), async (steps) => {
      runs++
      const snapshot = await f.snapshot()
      try {
        const tasks: Hex[] = [...initialTasks]
        const batches: Hex[] = []
        let minted = baselineMinted
        let burned = 0n
        let before = await observe(reader, tasks)

        for (const s of steps) {
          if (s.kind === 'warp') {
            await f.increaseTime(s.seconds)
            continue
          }
          const send = sendStep(s, tasks, batches, settleAccounts)
          let receipt: TransactionReceipt | undefined
          let refusal: string | undefined
          try {
            receipt = await f.tx(send.write())
          } catch (error) {
            const decoded = revertError(error)
            if (!decoded) throw error // not a revert: a real failure of the test or the chain
            expect(decoded.errorName, `${s.kind} panicked: ${String(decoded.args)}`).not.toBe('Panic')
            refusal = decoded.errorName
          }
          if (receipt) {
            send.onSuccess?.()
            if (s.kind === 'faucet') minted += s.amount
            burned += burnedIn(receipt)
          }
          const tally = refusal ? refusedWith : succeeded
          const key = refusal ? `${s.kind}: ${refusal}` : s.kind
          tally.set(key, (tally.get(key) ?? 0) + 1)

          const after = await observe(reader, tasks)
          if (refusal) expect(after, `${s.kind} reverted with ${refusal} but changed state`).toEqual(before)
          const ledgerTotal = after.ledger.reduce((a, b) => a + b, 0n)
          const lockedTotal = after.locked.reduce((a, t) => a + t.locked, 0n)
          expect(after.escrowTokens, 'escrow tokens = balances + locked').toBe(ledgerTotal + lockedTotal)
          const staked = after.nodes.reduce((a, n) => a + n.stake + n.unstaking, 0n)
          expect(after.registryTokens, 'registry tokens = stakes + unstaking').toBe(staked)
          expect(after.supply, 'supply = minted - burned').toBe(minted - burned)
          before = after
        }
      } finally {
        await f.revert(snapshot)
      }
    }),
    // Shrinking a failure replays sequences on the chain; the time limit keeps it from running forever and
    // still reports the smallest counterexample found so far.
    { numRuns: 30, interruptAfterTimeLimit: 120_000, markInterruptAsFailure: true },
  )

  expect(runs).toBeGreaterThanOrEqual(30)
  // The property is only worth something if every kind of action actually went through some of the time.
  for (const kind of ['deposit', 'withdraw', 'createTask', 'settle', 'refund', 'stake', 'requestUnstake', 'slash']) {
    expect(
      succeeded.get(kind) ?? 0,
      `no successful ${kind}; refusals: ${JSON.stringify([...refusedWith])}`,
    ).toBeGreaterThan(0)
  }
}, 180_000)

/** The transaction a step sends, and what to remember if it lands. */
function sendStep(
  s: Step,
  tasks: Hex[],
  batches: Hex[],
  settleAccounts: readonly `0x${string}`[],
): { write: () => Promise<Hex>; onSuccess?: () => void } {
  const actor = (i: number): Actor => f.actors[names[i]]
  // Mostly recent tasks (small i), which are more likely to be still open.
  const pickTask = (i: number) => (tasks.length ? tasks[tasks.length - 1 - (i % tasks.length)] : f.taskId(f.poster))
  switch (s.kind) {
    case 'deposit':
      return { write: () => actor(s.who).escrow.write.deposit([s.amount]) }
    case 'withdraw':
      return { write: () => actor(s.who).escrow.write.withdraw([s.amount]) }
    case 'faucet':
      return { write: () => f.admin.sale.write.faucet([actor(s.who).address, s.amount]) }
    case 'createTask': {
      const who = actor(s.who)
      const taskId = f.taskId(s.ownId ? who : actor((s.who + 1) % names.length))
      return {
        write: async () => {
          const deadline = (await f.now()) + s.duration
          return who.escrow.write.createTask([{ taskId, amount: s.amount, deadline, feeScheme: s.feeScheme }])
        },
        onSuccess: () => tasks.push(taskId),
      }
    }
    case 'settle': {
      const taskId = pickTask(s.task)
      const batchId =
        s.replayBatch && batches.length ? batches[s.task % batches.length] : keccak256(toHex(`batch ${++batchNumber}`))
      return {
        write: async () => {
          const { locked } = await f.escrow.read.getTask([taskId])
          const share = (locked * BigInt(s.amountBps)) / 10_000n
          const amountToPay = s.aligned ? share - (share % AMOUNT_UNIT) : share
          const task = { taskId, amount: amountToPay, close: s.close, workers: s.workers, validators: s.validators }
          const slash = s.slash && {
            ...s.slash,
            amount: s.slash.unit === 'bps' ? (s.slash.amount % MAX_SLASH_BPS) + 1n : s.slash.amount,
            reason: 'WrongResult' as const,
            ban: false,
          }
          return actor(s.caller).escrow.write.settle([
            {
              batchId,
              jobsRoot: keccak256(batchId),
              accounts: [...settleAccounts],
              tasks: [encodeTaskSettlement(task)],
              reputations: [],
              slashes: slash ? [encodeSlash(slash)] : [],
            },
          ])
        },
        onSuccess: () => batches.push(batchId),
      }
    }
    case 'refund':
      return { write: () => actor(s.caller).escrow.write.refund([pickTask(s.task)]) }
    case 'stake':
      return { write: () => actor(s.who).registry.write.stake([s.amount]) }
    case 'requestUnstake':
      return { write: () => actor(s.who).registry.write.requestUnstake([s.amount]) }
    case 'withdrawStake':
      return { write: () => actor(s.who).registry.write.withdrawStake() }
    case 'slash':
      return {
        write: () =>
          actor(s.caller).registry.write.slash([actor(s.target).address, s.amount, s.burn, keccak256('0x01')]),
      }
    case 'warp':
      throw new Error('warp sends no transaction')
  }
}

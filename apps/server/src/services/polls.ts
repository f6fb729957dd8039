import type { Address } from 'viem'
import { closeDuePoll, closePoll, pollsDue } from '../operations/polls/close.ts'
import { viewPoll } from '../operations/polls/view.ts'
import { castVote } from '../operations/polls/vote.ts'
import type { Transactor } from '../operations/tx.ts'
import type { Eligibility } from './eligibility.ts'

/**
 * Polls (seed 002's Task-Net): one vote per person; the poll closes when its respondents have voted, when
 * the poster closes it or at its deadline. Closing tallies the votes (gold questions screen respondents
 * out) and pays the majority's voters (or every counted one) an equal share through the escrow; if nobody
 * is paid, the reward is refunded. Tie rule: the voters of every tied option share the reward. Each step is
 * one operation in operations/polls.
 */
export function createPolls({ transactor, eligibility }: { transactor: Transactor; eligibility: Eligibility }) {
  const { run, once } = transactor
  return {
    vote: (voter: Address, taskId: string, option: number, gold: number[] = []) => run(castVote, { voter, taskId, option, gold, eligibility }),
    close: (poster: Address, taskId: string) => run(closePoll, { poster, taskId }),
    /** Closes polls past their deadline; returns how many. */
    async sweep() {
      const due = await once(pollsDue)
      for (const taskId of due) await run(closeDuePoll, { taskId })
      return due.length
    },
    view: (taskId: string, viewer: string | undefined) => once((tx) => viewPoll(tx, { taskId, viewer, eligibility })),
  }
}

export type Polls = ReturnType<typeof createPolls>

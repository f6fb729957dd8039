/** A respondent's vote: the option index, and their answers to the gold questions (by question index). */
export type Vote = { voter: string; option: number; gold?: number[] }
export type GoldAnswer = { answer: number }

export type PollOutcome = {
  /** Votes per option, counting only respondents who passed the gold questions. */
  counts: number[]
  /** The winning options: one, or several on a tie. Empty when nobody counted. */
  winners: number[]
  /** Who is paid, each with weight 1. */
  paid: string[]
  /** Respondents screened out by a wrong gold answer. */
  screened: string[]
}

/**
 * Tallies a poll. Respondents who miss any gold question are screened out (not counted, not paid). With
 * `reward: 'majority'` the voters of the most-chosen option are paid; on a tie, the voters of every tied
 * option share the reward equally (no respondent is penalised for a split the poll itself produced).
 * With `reward: 'all'` every counted respondent is paid.
 * @example tallyPoll(3, [{voter:'a',option:0},{voter:'b',option:0},{voter:'c',option:2}], [], 'majority') // paid a, b
 */
export function tallyPoll(optionCount: number, votes: readonly Vote[], gold: readonly GoldAnswer[], reward: 'majority' | 'all'): PollOutcome {
  const counts = Array.from({ length: optionCount }, () => 0)
  const counted: Vote[] = []
  const screened: string[] = []
  for (const vote of votes) {
    if (!passesGold(vote, gold)) {
      screened.push(vote.voter)
      continue
    }
    counts[vote.option] = (counts[vote.option] ?? 0) + 1
    counted.push(vote)
  }
  const best = Math.max(0, ...counts)
  const winners = best === 0 ? [] : counts.flatMap((c, i) => (c === best ? [i] : []))
  const paid = reward === 'all' ? counted.map((v) => v.voter) : counted.filter((v) => winners.includes(v.option)).map((v) => v.voter)
  return { counts, winners, paid, screened }
}

/**
 * Whether a respondent answered every gold question right (else they are screened out: not counted, not paid).
 * @example passesGold({ gold: [1] }, [{ answer: 1 }]) // true
 */
export function passesGold(vote: Pick<Vote, 'gold'>, gold: readonly GoldAnswer[]): boolean {
  return gold.every((q, i) => vote.gold?.[i] === q.answer)
}

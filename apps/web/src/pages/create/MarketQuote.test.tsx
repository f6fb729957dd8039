import type { MarketConfig, TaskQuote } from '@taskmarket/core'
import { act, fireEvent, render, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError, client } from '../../lib/api.ts'
import { SessionProvider } from '../../state/session.tsx'
import { CreateTaskForm } from './CreateTaskPage.tsx'
import { QUOTE_DELAY_MS } from './useMarketQuote.ts'

const poster = '0x00000000000000000000000000000000000000aa'
const config: MarketConfig = {
  chain_id: 31337,
  rpc_url: 'http://127.0.0.1:8545',
  contracts: { token: `0x${'1'.repeat(40)}`, sale: `0x${'2'.repeat(40)}`, escrow: `0x${'3'.repeat(40)}`, registry: `0x${'4'.repeat(40)}` },
  operator: `0x${'5'.repeat(40)}`,
  treasury: `0x${'6'.repeat(40)}`,
}

const nodeAddress = (i: number) => `0x${String(i).repeat(40)}` as `0x${string}`
const bid = (i: number): TaskQuote['bids'][number] => ({
  node: nodeAddress(i),
  score: 0.95 - i / 100,
  breakdown: { price: 0.3, reputation: 0.25, latency: 0.1, uptime: 0.15, verifiedPower: 0.15 - i / 100 },
  resource_type: 'cpu',
  region: 'eu-west',
  price_per_unit: '0.05',
  trust_level: 2,
  reputation_bps: 8_500,
  uptime_bps: 9_950,
})

/** A quote as POST /tasks/quote answers it (the rendering defaults: 16 tiles). */
const quoteOf = (over: Partial<TaskQuote> = {}): TaskQuote => ({
  jobs: 16,
  replication: { min_quorum: 2, target_results: 3, max_total_results: 6 },
  expected_results_per_job: 2.25,
  unreplicated_share: 0.375,
  eligible_nodes: 6,
  counted_nodes: 6,
  price_per_unit: '0.05',
  gross_per_result: '0.054347827',
  suggested_reward: '1.956521772',
  max_reward: '2.608695696',
  fee: '0.156521742',
  reward: { per_result: '0.277777777', net_per_result: '0.255555554' },
  bids: [1, 2, 3, 4, 5, 6].map(bid),
  ineligible: { region: 2, price: 1 },
  ...over,
})

/** A promise settled from outside, to answer requests in any order. */
function deferred<T>() {
  let resolve!: (v: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

/** Lets `ms` pass on the fake clock and every answer that was due settle. */
const pass = (ms = 0) => act(() => vi.advanceTimersByTimeAsync(ms))

const renderForm = (onPosted = (_id: string) => {}) =>
  render(
    <SessionProvider>
      <CreateTaskForm onPosted={onPosted} />
    </SessionProvider>,
  )

const quoteCard = () => within(screen.getByRole('region', { name: 'Market quote' }))
const type = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } })

/** Signed in with a browser wallet (EIP-1193) holding the session's address, and enough in escrow. */
function signedIn() {
  vi.spyOn(client.auth, 'me').mockResolvedValue({ address: poster, method: 'session' })
  vi.spyOn(client.wallet, 'get').mockResolvedValue({ address: poster, eth: '1', wallet: '0', deposited: '100', locked: '0', awaiting: '0', staked: '0', unstaking: '0' })
  ;(globalThis as { ethereum?: unknown }).ethereum = { request: async ({ method }: { method: string }) => (method === 'eth_requestAccounts' || method === 'eth_accounts' ? [poster] : null) }
  return vi.spyOn(client.tasks, 'createSigned').mockResolvedValue({ task_id: '5b0c1c55-0000-4000-8000-000000000001', status: 'pending', created_at: 0 })
}

beforeEach(() => {
  vi.useFakeTimers()
  vi.spyOn(client.market, 'config').mockResolvedValue(config)
  vi.spyOn(client.auth, 'me').mockRejectedValue(new ApiError(401, 'UNAUTHORIZED', 'sign in first'))
})

afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
  delete (globalThis as { ethereum?: unknown }).ethereum
})

describe('market quote', () => {
  it('asks for a quote of the body the form would post once the form rests, and shows its figures', async () => {
    const answer = deferred<TaskQuote>()
    const quote = vi.spyOn(client.tasks, 'quote').mockReturnValue(answer.promise)
    renderForm()
    await pass(QUOTE_DELAY_MS - 1)
    type('Samples per pixel', '8')
    await pass(QUOTE_DELAY_MS - 1)
    expect(quote).not.toHaveBeenCalled()
    await pass(1)
    expect(quote).toHaveBeenCalledTimes(1)
    expect(quote).toHaveBeenCalledWith({
      challenge_type: 'rendering',
      payload: { scene_file: 'example:cornell', resolution: '128x128', tile_size: 32, samples_per_pixel: 8 },
      reward: '10',
      replication: { target_results: 3, min_quorum: 2 },
    })
    const status = quoteCard().getByText('Quoting…')
    expect(status.closest('[aria-live="polite"]')).not.toBeNull()

    answer.resolve(quoteOf())
    await pass()
    const card = quoteCard()
    expect(card.queryByText('Quoting…')).toBeNull()
    const figure = (label: string) => card.getByText(label).nextElementSibling?.textContent
    expect(figure('Jobs')).toBe('16')
    expect(figure('Replication')).toBe('2 of 3')
    expect(figure('Expected results per job')).toBe('2.25')
    expect(figure('Unreplicated')).toBe('37.5%')
    expect(figure('Eligible nodes')).toBe('6')
    expect(card.getByTestId('suggested-reward').textContent).toBe('1.956521772 TASK')
    expect(card.getByTestId('max-reward').textContent).toBe('2.608695696 TASK')
    expect(figure('Fee included in it')).toBe('0.156521742 TASK')
    expect(card.getByTestId('per-result-pay').textContent).toBe('0.277777777 TASK')
    expect(card.getByTestId('net-per-result-pay').textContent).toBe('0.255555554 TASK')

    // The best five of the ranked bids, each linked to its node page, with the terms of its score.
    const rows = card.getAllByRole('row').slice(1)
    expect(rows).toHaveLength(5)
    const first = within(rows[0]!)
    expect(first.getByRole('link').getAttribute('href')).toBe(`#/nodes/${nodeAddress(1)}`)
    expect(first.getByRole('link').textContent).toBe('0x1111…1111')
    expect(rows[0]!.textContent).toContain('0.94')
    expect(rows[0]!.textContent).toContain('price 0.30 · reputation 0.25 · latency 0.10 · uptime 0.15 · power 0.14')
    expect(rows[0]!.textContent).toContain('L2 · ')
    expect(rows[0]!.textContent).toContain('85%')
    expect(rows[0]!.textContent).toContain('99.5%')
    expect(card.getByText('2 nodes: wrong region')).toBeTruthy()
    expect(card.getByText('1 node: price above your cap')).toBeTruthy()
  })

  it('fills the reward with the suggested one, and quotes again with it', async () => {
    const quote = vi.spyOn(client.tasks, 'quote').mockResolvedValue(quoteOf())
    renderForm()
    await pass(QUOTE_DELAY_MS)
    fireEvent.click(quoteCard().getByRole('button', { name: 'Use suggested reward' }))
    expect((screen.getByLabelText('Reward (TASK)') as HTMLInputElement).value).toBe('1.956521772')
    await pass(QUOTE_DELAY_MS)
    expect(quote).toHaveBeenCalledTimes(2)
    expect(quote.mock.calls[1]![0].reward).toBe('1.956521772')
  })

  it('shows a refused quote’s message naming the field, quietly and without blocking the form', async () => {
    const reason = 'would make 262144 jobs, more than the 10000 a rendering task may have; 4096×4096 in 8-pixel tiles; use tiles of at least 41 pixels or a lower resolution'
    const quote = vi.spyOn(client.tasks, 'quote').mockRejectedValue(new ApiError(400, 'VALIDATION', `payload.tile_size: ${reason}`, 'payload.tile_size', reason))
    renderForm()
    type('Width', '4096')
    type('Height', '4096')
    type('Tile size', '8')
    await pass(QUOTE_DELAY_MS)
    expect(quote).toHaveBeenCalledTimes(1)
    const note = quoteCard().getByText(`Cannot quote this yet: payload.tile_size: ${reason}`)
    expect(note.getAttribute('role')).toBeNull()
    expect(note.closest('[aria-live="polite"]')).not.toBeNull()
    expect(document.getElementById('payload.tile_size-error')).toBeNull()
    expect(screen.getByLabelText('Tile size').getAttribute('aria-invalid')).toBeNull()
    expect((screen.getByRole('button', { name: 'Post task' }) as HTMLButtonElement).disabled).toBe(false)
  })

  it('keeps the newest answer when an older one arrives after it', async () => {
    const older = deferred<TaskQuote>()
    const newer = deferred<TaskQuote>()
    const quote = vi.spyOn(client.tasks, 'quote').mockReturnValueOnce(older.promise).mockReturnValueOnce(newer.promise)
    renderForm()
    await pass(QUOTE_DELAY_MS)
    type('Tile size', '64')
    await pass(QUOTE_DELAY_MS)
    expect(quote).toHaveBeenCalledTimes(2)
    expect(quote.mock.calls[1]![0].payload.tile_size).toBe(64)
    newer.resolve(quoteOf({ jobs: 4 }))
    await pass()
    older.resolve(quoteOf({ jobs: 16 }))
    await pass()
    const jobs = quoteCard().getByText('Jobs').nextElementSibling
    expect(jobs?.textContent).toBe('4')
    expect(quoteCard().queryByText('Quoting…')).toBeNull()
  })

  it('asks nothing for manual tasks and polls', async () => {
    const quote = vi.spyOn(client.tasks, 'quote').mockResolvedValue(quoteOf())
    renderForm()
    fireEvent.click(screen.getByLabelText(/Manual task/))
    await pass(QUOTE_DELAY_MS * 3)
    expect(screen.queryByRole('region', { name: 'Market quote' })).toBeNull()
    fireEvent.click(screen.getByLabelText(/Poll/))
    await pass(QUOTE_DELAY_MS * 3)
    expect(screen.queryByRole('region', { name: 'Market quote' })).toBeNull()
    expect(screen.queryByRole('button', { name: /Node requirements/ })).toBeNull()
    expect(quote).not.toHaveBeenCalled()
  })

  it('says when no online node qualifies, and why', async () => {
    vi.spyOn(client.tasks, 'quote').mockResolvedValue(quoteOf({ eligible_nodes: 0, counted_nodes: 0, bids: [], ineligible: { region: 2, uptime: 1 } }))
    renderForm()
    await pass(QUOTE_DELAY_MS)
    const card = quoteCard()
    expect(card.getByText('No online node qualifies yet: the task will wait for one')).toBeTruthy()
    expect(card.getByText('2 nodes: wrong region')).toBeTruthy()
    expect(card.getByText('1 node: uptime below your minimum')).toBeTruthy()
    expect(card.queryByRole('button', { name: 'Use suggested reward' })).toBeNull()
    expect(card.queryByRole('table')).toBeNull()
  })

  it('sends the node requirements with the quote and the post, and shows the API’s error under its field', async () => {
    const createSigned = signedIn()
    const quote = vi.spyOn(client.tasks, 'quote').mockResolvedValue(quoteOf())
    const posted: string[] = []
    renderForm((id) => posted.push(id))
    await pass()
    fireEvent.click(screen.getByRole('button', { name: /Node requirements/ }))
    fireEvent.change(screen.getByLabelText('Resource type'), { target: { value: 'cpu' } })
    type('Regions', 'eu-west, US-East')
    type('Max price per unit (TASK)', '0.5')
    type('Minimum uptime (%)', '99.5')
    await pass(QUOTE_DELAY_MS)
    const requirements = { resource_type: 'cpu', regions: ['eu-west', 'us-east'], max_price_per_unit: '0.5', min_uptime_bps: 9950 }
    expect(quote).toHaveBeenLastCalledWith(expect.objectContaining({ requirements }))

    createSigned.mockRejectedValueOnce(new ApiError(400, 'VALIDATION', 'requirements.regions.1: must match pattern', 'requirements.regions.1', 'must match pattern'))
    fireEvent.click(screen.getByRole('button', { name: 'Post task' }))
    await pass()
    expect(createSigned).toHaveBeenCalledWith(expect.objectContaining({ address: poster }), expect.objectContaining({ challenge_type: 'rendering', requirements }))
    expect(document.getElementById('requirements.regions-error')?.textContent).toBe('Must match pattern')
    expect(screen.getByLabelText('Regions').getAttribute('aria-invalid')).toBe('true')

    type('Regions', 'eu-west')
    fireEvent.click(screen.getByRole('button', { name: 'Post task' }))
    await pass()
    expect(createSigned).toHaveBeenLastCalledWith(expect.anything(), expect.objectContaining({ requirements: { ...requirements, regions: ['eu-west'] } }))
    expect(posted).toEqual(['5b0c1c55-0000-4000-8000-000000000001'])
  })

  it('uploads typed data once, for the quote and the post alike', async () => {
    const createSigned = signedIn()
    const hash = 'ab'.repeat(32)
    const upload = vi.spyOn(client.blobs, 'upload').mockResolvedValue({ hash, size: 11, content_type: 'text/plain' } as never)
    const quote = vi.spyOn(client.tasks, 'quote').mockResolvedValue(quoteOf({ jobs: 1 }))
    renderForm()
    fireEvent.click(screen.getByLabelText(/Data processing/))
    await pass(QUOTE_DELAY_MS)
    expect(quoteCard().getByText(/No quote yet: Type or paste the data to hash/)).toBeTruthy()
    expect(quote).not.toHaveBeenCalled()
    type('Data', 'hello world')
    await pass(QUOTE_DELAY_MS)
    expect(upload).toHaveBeenCalledWith('hello world', 'text/plain')
    expect(quote).toHaveBeenCalledWith(expect.objectContaining({ challenge_type: 'hash', payload: { input: hash, algorithm: 'sha256', chunk_size: 1024 * 1024 } }))
    fireEvent.click(screen.getByRole('button', { name: 'Post task' }))
    await pass()
    expect(createSigned).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ payload: expect.objectContaining({ input: hash }) }))
    expect(upload).toHaveBeenCalledTimes(1)
  })
})

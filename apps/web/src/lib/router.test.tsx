import { act, render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { Link, href, matchRoute, navigate, parseHash, useRoute } from './router.tsx'

describe('router', () => {
  it('parses hashes and matches routes with params', () => {
    expect(parseHash('#/tasks/abc?x=1')).toMatchObject({ path: '/tasks/abc' })
    expect(parseHash('#/tasks/abc?x=1').query.get('x')).toBe('1')
    expect(parseHash('').path).toBe('/')
    expect(parseHash('#//market/')).toMatchObject({ path: '/market' })
    expect(matchRoute('/')).toMatchObject({ name: 'home' })
    expect(matchRoute('/tasks/new')).toMatchObject({ name: 'create' })
    expect(matchRoute('/tasks/0b7c3c1e-1111-4222-8333-444455556666')).toMatchObject({ name: 'task', params: { id: '0b7c3c1e-1111-4222-8333-444455556666' } })
    expect(matchRoute('/tasks/a/b')).toMatchObject({ name: 'not-found' })
    expect(matchRoute('/work')).toMatchObject({ name: 'work' })
    expect(matchRoute('/profile')).toMatchObject({ name: 'profile' })
    expect(matchRoute('/nodes/0x00000000000000000000000000000000000000aa')).toMatchObject({ name: 'node', params: { address: '0x00000000000000000000000000000000000000aa' } })
    expect(href('/market', { kind: 'hash', status: undefined, page: 2 })).toBe('#/market?kind=hash&page=2')
  })

  it('re-renders on navigation and marks the current link', async () => {
    function Probe() {
      const route = useRoute()
      return (
        <>
          <p data-testid="route">
            {route.name}:{route.params.id ?? ''}:{route.query.get('kind') ?? ''}
          </p>
          <Link to="/market">Market</Link>
          <Link to="/wallet">Wallet</Link>
        </>
      )
    }
    render(<Probe />)
    expect(screen.getByTestId('route').textContent).toBe('home::')
    await act(async () => {
      navigate('/market', { query: { kind: 'rendering' } })
      await new Promise((r) => setTimeout(r, 0))
    })
    expect(screen.getByTestId('route').textContent).toBe('market::rendering')
    expect(screen.getByRole('link', { name: 'Market' }).getAttribute('aria-current')).toBe('page')
    expect(screen.getByRole('link', { name: 'Wallet' }).getAttribute('aria-current')).toBeNull()
    await act(async () => {
      navigate('/tasks/42', { replace: true })
    })
    expect(screen.getByTestId('route').textContent).toBe('task:42:')
  })
})

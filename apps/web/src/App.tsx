import { useEffect } from 'react'
import type { Address } from 'viem'
import { Layout } from './components/Layout.tsx'
import { useRoute } from './lib/router.tsx'
import { ApiKeysPage } from './pages/ApiKeysPage.tsx'
import { CreateTaskPage } from './pages/create/CreateTaskPage.tsx'
import { HomePage } from './pages/HomePage.tsx'
import { MarketPage } from './pages/MarketPage.tsx'
import { NetworkPage } from './pages/NetworkPage.tsx'
import { NodePage } from './pages/node/NodePage.tsx'
import { NodesPage } from './pages/NodesPage.tsx'
import { NotFoundPage } from './pages/NotFoundPage.tsx'
import { ProfilePage } from './pages/profile/ProfilePage.tsx'
import { SignInPage } from './pages/SignInPage.tsx'
import { TaskPage } from './pages/task/TaskPage.tsx'
import { WalletPage } from './pages/wallet/WalletPage.tsx'
import { WorkPage } from './pages/WorkPage.tsx'
import { SessionProvider } from './state/session.tsx'

const titles: Record<string, string> = {
  home: 'Task Market',
  market: 'Marketplace',
  create: 'Post a task',
  task: 'Task',
  work: 'My work',
  profile: 'Profile',
  wallet: 'Wallet',
  nodes: 'Nodes',
  node: 'Node',
  network: 'Network',
  keys: 'API keys',
  signin: 'Sign in',
  'not-found': 'Not found',
}

function Page() {
  const route = useRoute()
  useEffect(() => {
    document.title = route.name === 'home' ? 'Task Market' : `${titles[route.name]} · Task Market`
    window.scrollTo?.(0, 0)
    // Move focus to the new page's heading so screen readers announce the navigation.
    const h1 = document.querySelector<HTMLElement>('main h1')
    if (h1 && document.activeElement !== document.body) {
      h1.tabIndex = -1
      h1.focus({ preventScroll: true })
    }
  }, [route.path])
  switch (route.name) {
    case 'home':
      return <HomePage />
    case 'market':
      return <MarketPage />
    case 'create':
      return <CreateTaskPage />
    case 'task':
      return <TaskPage id={route.params.id!} />
    case 'work':
      return <WorkPage />
    case 'profile':
      return <ProfilePage />
    case 'wallet':
      return <WalletPage />
    case 'nodes':
      return <NodesPage />
    case 'node':
      return <NodePage address={route.params.address as Address} />
    case 'network':
      return <NetworkPage />
    case 'keys':
      return <ApiKeysPage />
    case 'signin':
      return <SignInPage next={route.query.get('next') ?? undefined} />
    default:
      return <NotFoundPage />
  }
}

export function App() {
  return (
    <SessionProvider>
      <Layout>
        <Page />
      </Layout>
    </SessionProvider>
  )
}

import type { Address, PublicClient } from 'viem'
import { type ReactNode, createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react'
import { ApiError, client, describeError } from '../lib/api.ts'
import { type MarketConfig, createReader, injectedProvider } from '../lib/chain.ts'
import { type EncryptedKey, clearStoredKey, decryptPrivateKey, encryptPrivateKey, loadStoredKey, newPrivateKey, saveStoredKey } from '../lib/keystore.ts'
import { type Signer, injectedSigner, localSigner } from '../lib/signer.ts'
import { UnlockDialog } from '../components/UnlockDialog.tsx'

const KIND_KEY = 'taskmarket.walletKind'

export type Session = {
  config?: MarketConfig
  configError?: string
  reader?: PublicClient
  status: 'loading' | 'signed-out' | 'signed-in'
  /** The signed-in address (the session cookie's). */
  address?: Address
  /** The encrypted wallet kept in this browser, if any. */
  stored?: EncryptedKey
  walletKind?: 'local' | 'injected'
  unlocked: boolean
  /** Bumped after every transaction so that balances reload. */
  version: number
  /** The transactions of the last change, once mined: pages that read indexed history wait for them. */
  minedTx: readonly string[]
  /** Says balances changed (`minedTx`: by these transactions), so that pages reload them. */
  notifyChange(minedTx?: readonly string[]): void
  createWallet(password: string): Promise<void>
  importWallet(privateKey: `0x${string}`, password: string): Promise<void>
  unlockAndSignIn(password: string): Promise<void>
  connectInjected(): Promise<void>
  logout(): Promise<void>
  forgetWallet(): void
  /** The signer of the signed-in address; asks for the password when the local key is locked. */
  getSigner(reason?: string): Promise<Signer>
  exportKey(password: string): Promise<`0x${string}`>
}

const SessionContext = createContext<Session | undefined>(undefined)

export function useSession(): Session {
  const session = useContext(SessionContext)
  if (!session) throw new Error('useSession needs a SessionProvider')
  return session
}

type UnlockRequest = { reason: string; resolve: (s: Signer) => void; reject: (e: Error) => void }

export function SessionProvider({ children }: { children: ReactNode }) {
  const [config, setConfig] = useState<MarketConfig>()
  const [configError, setConfigError] = useState<string>()
  const [status, setStatus] = useState<Session['status']>('loading')
  const [address, setAddress] = useState<Address>()
  const [stored, setStored] = useState<EncryptedKey | undefined>(() => loadStoredKey())
  const [walletKind, setWalletKind] = useState<Session['walletKind']>(() => (localStorage.getItem(KIND_KEY) as Session['walletKind']) ?? undefined)
  const [version, setVersion] = useState(0)
  const [minedTx, setMinedTx] = useState<readonly string[]>([])
  const [unlockRequest, setUnlockRequest] = useState<UnlockRequest>()
  const signer = useRef<Signer | undefined>(undefined)
  const [unlocked, setUnlocked] = useState(false)

  const reader = useMemo(() => (config ? createReader(config) : undefined), [config])

  useEffect(() => {
    let cancelled = false
    ;(async () => {
      try {
        const c = (await client.market.config()) as MarketConfig
        if (!cancelled) setConfig(c)
      } catch (error) {
        if (!cancelled) setConfigError(describeError(error))
      }
      try {
        const me = await client.auth.me()
        if (cancelled) return
        setAddress(me.address)
        setStatus('signed-in')
      } catch (error) {
        if (cancelled) return
        if (!(error instanceof ApiError) || error.status !== 401) console.warn('session check failed', error)
        setStatus('signed-out')
      }
    })()
    return () => void (cancelled = true)
  }, [])

  const needConfig = useCallback(() => {
    if (!config) throw new Error(configError ?? 'The market is still loading; try again in a moment')
    return config
  }, [config, configError])

  const signInWith = useCallback(
    async (s: Signer) => {
      const c = needConfig()
      const result = await client.auth.signIn(s.account as never, { chainId: c.chain_id })
      signer.current = s
      setUnlocked(true)
      setAddress(result.address)
      setWalletKind(s.kind)
      localStorage.setItem(KIND_KEY, s.kind)
      setStatus('signed-in')
    },
    [needConfig],
  )

  const createWallet = useCallback(
    async (password: string) => {
      const c = needConfig()
      const key = newPrivateKey()
      const encrypted = await encryptPrivateKey(key, password)
      saveStoredKey(encrypted)
      setStored(encrypted)
      await signInWith(localSigner(key, c))
    },
    [needConfig, signInWith],
  )

  const importWallet = useCallback(
    async (key: `0x${string}`, password: string) => {
      const c = needConfig()
      const encrypted = await encryptPrivateKey(key, password)
      saveStoredKey(encrypted)
      setStored(encrypted)
      await signInWith(localSigner(key, c))
    },
    [needConfig, signInWith],
  )

  const unlockLocal = useCallback(
    async (password: string) => {
      const c = needConfig()
      const current = loadStoredKey()
      if (!current) throw new Error('There is no wallet in this browser; create or import one')
      const s = localSigner(await decryptPrivateKey(current, password), c)
      return s
    },
    [needConfig],
  )

  const unlockAndSignIn = useCallback(
    async (password: string) => {
      const s = await unlockLocal(password)
      if (status === 'signed-in' && address?.toLowerCase() === s.address.toLowerCase()) {
        signer.current = s
        setUnlocked(true)
        return
      }
      await signInWith(s)
    },
    [unlockLocal, signInWith, status, address],
  )

  const connectInjected = useCallback(async () => {
    const provider = injectedProvider()
    if (!provider) throw new Error('No browser wallet found: install one (e.g. MetaMask) or create a wallet here')
    await signInWith(await injectedSigner(provider, needConfig()))
  }, [needConfig, signInWith])

  const logout = useCallback(async () => {
    await client.auth.logout().catch(() => {})
    signer.current = undefined
    setUnlocked(false)
    setAddress(undefined)
    setStatus('signed-out')
  }, [])

  const forgetWallet = useCallback(() => {
    clearStoredKey()
    setStored(undefined)
    if (walletKind === 'local') {
      signer.current = undefined
      setUnlocked(false)
    }
  }, [walletKind])

  const getSigner = useCallback(
    async (reason = 'Unlock your wallet to sign') => {
      if (status !== 'signed-in' || !address) throw new Error('Sign in first')
      const current = signer.current
      if (current && current.address.toLowerCase() === address.toLowerCase()) return current
      const local = loadStoredKey()
      if (local && local.address.toLowerCase() === address.toLowerCase()) {
        return new Promise<Signer>((resolve, reject) => setUnlockRequest({ reason, resolve, reject }))
      }
      const provider = injectedProvider()
      if (provider) {
        const s = await injectedSigner(provider, needConfig())
        if (s.address.toLowerCase() !== address.toLowerCase()) throw new Error(`Your browser wallet is on ${s.address}, but you are signed in as ${address}; switch accounts or sign in again`)
        signer.current = s
        setUnlocked(true)
        return s
      }
      throw new Error(`This browser holds no key for ${address}. Sign out and sign in with the wallet that holds it.`)
    },
    [status, address, needConfig],
  )

  const exportKey = useCallback(async (password: string) => {
    const current = loadStoredKey()
    if (!current) throw new Error('There is no wallet in this browser')
    return decryptPrivateKey(current, password)
  }, [])

  const notifyChange = useCallback((mined: readonly string[] = []) => {
    setMinedTx(mined)
    setVersion((v) => v + 1)
  }, [])

  const value: Session = {
    config, configError, reader, status, address, stored, walletKind, unlocked, version, minedTx, notifyChange,
    createWallet, importWallet, unlockAndSignIn, connectInjected, logout, forgetWallet, getSigner, exportKey,
  }

  return (
    <SessionContext.Provider value={value}>
      {children}
      {unlockRequest && (
        <UnlockDialog
          reason={unlockRequest.reason}
          address={address}
          onUnlock={async (password) => {
            const s = await unlockLocal(password)
            signer.current = s
            setUnlocked(true)
            setUnlockRequest(undefined)
            unlockRequest.resolve(s)
          }}
          onCancel={() => {
            setUnlockRequest(undefined)
            unlockRequest.reject(new Error('Cancelled: the wallet stayed locked'))
          }}
        />
      )}
    </SessionContext.Provider>
  )
}

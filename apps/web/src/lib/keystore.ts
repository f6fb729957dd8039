import { type Address, type Hex, getAddress } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'

/**
 * The in-browser wallet: a private key generated here, encrypted with a key derived from the user's
 * password (PBKDF2-SHA256 → AES-256-GCM, the address bound as additional data), kept in localStorage.
 * The password and the plain key never leave the page.
 */
export type EncryptedKey = {
  version: 1
  address: Address
  kdf: { name: 'PBKDF2'; hash: 'SHA-256'; iterations: number; salt: string }
  cipher: { name: 'AES-GCM'; iv: string }
  ciphertext: string
  created_at: number
}

export class WrongPasswordError extends Error {
  override name = 'WrongPasswordError'
  constructor() {
    super('Wrong password: this password does not unlock the wallet')
  }
}

export const STORAGE_KEY = 'taskmarket.wallet.v1'
/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
export const DEFAULT_ITERATIONS = 600_000
export const MIN_PASSWORD_LENGTH = 8

const subtle = () => {
  const s = globalThis.crypto?.subtle
  if (!s) throw new Error('This browser has no WebCrypto (open the app over https or on localhost)')
  return s
}
const enc = new TextEncoder()
const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes))
const unb64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0))

async function deriveKey(password: string, salt: Uint8Array, iterations: number) {
  const base = await subtle().importKey('raw', enc.encode(password), 'PBKDF2', false, ['deriveKey'])
  return subtle().deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations }, base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
}

/** Why a password is not acceptable for a new wallet, or undefined when it is. */
export function passwordProblem(password: string, confirm?: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters`
  if (confirm !== undefined && confirm !== password) return 'The two passwords differ'
  return undefined
}

/**
 * Encrypts a private key with a password.
 * @example const stored = await encryptPrivateKey(generatePrivateKey(), 'correct horse')
 */
export async function encryptPrivateKey(privateKey: Hex, password: string, { iterations = DEFAULT_ITERATIONS } = {}): Promise<EncryptedKey> {
  const address = privateKeyToAccount(privateKey).address
  const salt = crypto.getRandomValues(new Uint8Array(16))
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const key = await deriveKey(password, salt, iterations)
  const data = await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: enc.encode(address.toLowerCase()) }, key, enc.encode(privateKey))
  return {
    version: 1,
    address,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: b64(salt) },
    cipher: { name: 'AES-GCM', iv: b64(iv) },
    ciphertext: b64(new Uint8Array(data)),
    created_at: Math.floor(Date.now() / 1000),
  }
}

/** Decrypts a stored key; throws WrongPasswordError when the password (or the file) does not match. */
export async function decryptPrivateKey(stored: EncryptedKey, password: string): Promise<Hex> {
  const key = await deriveKey(password, unb64(stored.kdf.salt), stored.kdf.iterations)
  let plain: ArrayBuffer
  try {
    plain = await subtle().decrypt({ name: 'AES-GCM', iv: unb64(stored.cipher.iv), additionalData: enc.encode(stored.address.toLowerCase()) }, key, unb64(stored.ciphertext))
  } catch {
    throw new WrongPasswordError()
  }
  const privateKey = new TextDecoder().decode(plain) as Hex
  if (privateKeyToAccount(privateKey).address !== getAddress(stored.address)) throw new WrongPasswordError()
  return privateKey
}

/** A new random private key (WebCrypto's generator, through viem). */
export function newPrivateKey(): Hex {
  return generatePrivateKey()
}

/** Checks and normalizes a pasted private key ("0x…" or bare hex). */
export function parsePrivateKey(input: string): Hex | undefined {
  const s = input.trim().replace(/^0x/i, '')
  if (!/^[0-9a-fA-F]{64}$/.test(s)) return undefined
  const key = `0x${s.toLowerCase()}` as Hex
  try {
    privateKeyToAccount(key)
    return key
  } catch {
    return undefined
  }
}

export function isEncryptedKey(value: unknown): value is EncryptedKey {
  const v = value as EncryptedKey
  return !!v && v.version === 1 && /^0x[0-9a-fA-F]{40}$/.test(v.address) && v.kdf?.name === 'PBKDF2' && typeof v.ciphertext === 'string'
}

export function loadStoredKey(storage: Storage = localStorage): EncryptedKey | undefined {
  try {
    const parsed = JSON.parse(storage.getItem(STORAGE_KEY) ?? 'null')
    return isEncryptedKey(parsed) ? parsed : undefined
  } catch {
    return undefined
  }
}

export function saveStoredKey(stored: EncryptedKey, storage: Storage = localStorage) {
  storage.setItem(STORAGE_KEY, JSON.stringify(stored))
}

export function clearStoredKey(storage: Storage = localStorage) {
  storage.removeItem(STORAGE_KEY)
}

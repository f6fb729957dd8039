import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { describe, expect, it } from 'vitest'
import { STORAGE_KEY, WrongPasswordError, clearStoredKey, decryptPrivateKey, encryptPrivateKey, isEncryptedKey, loadStoredKey, parsePrivateKey, passwordProblem, saveStoredKey } from './keystore.ts'

describe('keystore', () => {
  it('encrypts a key with the password and decrypts it back (PBKDF2 + AES-GCM, default cost)', async () => {
    const key = generatePrivateKey()
    const stored = await encryptPrivateKey(key, 'correct horse battery')
    expect(stored).toMatchObject({ version: 1, address: privateKeyToAccount(key).address, kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: 600_000 }, cipher: { name: 'AES-GCM' } })
    expect(JSON.stringify(stored)).not.toContain(key.slice(2))
    expect(await decryptPrivateKey(stored, 'correct horse battery')).toBe(key)
  })

  it('refuses a wrong password with WrongPasswordError', async () => {
    const stored = await encryptPrivateKey(generatePrivateKey(), 'right password', { iterations: 1000 })
    await expect(decryptPrivateKey(stored, 'wrong password')).rejects.toBeInstanceOf(WrongPasswordError)
    await expect(decryptPrivateKey(stored, 'wrong password')).rejects.toThrow(/Wrong password/)
  })

  it('detects a file whose address was swapped (the address is authenticated data)', async () => {
    const stored = await encryptPrivateKey(generatePrivateKey(), 'pw-pw-pw-pw', { iterations: 1000 })
    const other = privateKeyToAccount(generatePrivateKey()).address
    await expect(decryptPrivateKey({ ...stored, address: other }, 'pw-pw-pw-pw')).rejects.toBeInstanceOf(WrongPasswordError)
  })

  it('uses a fresh salt and IV every time', async () => {
    const key = generatePrivateKey()
    const [a, b] = await Promise.all([encryptPrivateKey(key, 'same password', { iterations: 1000 }), encryptPrivateKey(key, 'same password', { iterations: 1000 })])
    expect(a.kdf.salt).not.toBe(b.kdf.salt)
    expect(a.cipher.iv).not.toBe(b.cipher.iv)
    expect(a.ciphertext).not.toBe(b.ciphertext)
  })

  it('keeps the encrypted key in localStorage and ignores anything malformed there', async () => {
    expect(loadStoredKey()).toBeUndefined()
    const stored = await encryptPrivateKey(generatePrivateKey(), 'password1', { iterations: 1000 })
    saveStoredKey(stored)
    expect(loadStoredKey()).toEqual(stored)
    localStorage.setItem(STORAGE_KEY, '{not json')
    expect(loadStoredKey()).toBeUndefined()
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ version: 2 }))
    expect(loadStoredKey()).toBeUndefined()
    saveStoredKey(stored)
    clearStoredKey()
    expect(loadStoredKey()).toBeUndefined()
    expect(isEncryptedKey(stored)).toBe(true)
  })

  it('parses pasted private keys and judges passwords', () => {
    const key = generatePrivateKey()
    expect(parsePrivateKey(`  ${key.toUpperCase().replace('0X', '0x')} `)).toBe(key)
    expect(parsePrivateKey(key.slice(2))).toBe(key)
    expect(parsePrivateKey('0x1234')).toBeUndefined()
    expect(parsePrivateKey(`0x${'0'.repeat(64)}`)).toBeUndefined()
    expect(passwordProblem('short')).toMatch(/at least 8/)
    expect(passwordProblem('long enough', 'different')).toMatch(/differ/)
    expect(passwordProblem('long enough', 'long enough')).toBeUndefined()
  })
})

import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { TaskMarketError, nodeSigningText } from '@taskmarket/core'
import type { Database } from '@taskmarket/db'
import { type Address, type Hex, getAddress, hashMessage, recoverAddress } from 'viem'
import { generateSiweNonce, parseSiweMessage } from 'viem/siwe'
import { insertApiKey, useApiKey } from '../repositories/apiKeys.ts'
import { recordNodeRequest } from '../repositories/nodeReplays.ts'
import { createSession, deleteSession, sessionAddress } from '../repositories/sessions.ts'
import { issueSignInNonce, useSignInNonce } from '../repositories/signInNonces.ts'
import type { ChainService } from './chain.ts'

export type Auth = { address: Address; method: 'session' | 'api_key' | 'node' }

const NONCE_TTL_MS = 10 * 60_000
/** Expired nonces deleted per nonce issued: bounded work, and the table never outgrows its live rows by much. */
const NONCE_PURGE_BATCH = 100
const NODE_SKEW_MS = 60_000
/** A node signature is remembered for twice the skew window, so that servers whose clocks differ by up to one window agree. */
const NODE_REPLAY_MS = 2 * NODE_SKEW_MS
const REPLAY_PURGE_EVERY_MS = 1000
const sha256 = (s: string | Uint8Array) => createHash('sha256').update(s).digest('hex')


/**
 * Who is calling: Sign-In with Ethereum sessions (HTTP-only cookie), API keys (stored hashed), and worker
 * nodes that sign every request with their key.
 */
export function createAuth({ db, chain, publicUrl, sessionDays }: { db: Database; chain: ChainService; publicUrl: () => string; sessionDays: number }) {
  let lastReplayPurge = 0

  /** A fresh sign-in nonce; deletes a bounded batch of expired ones on the way. */
  async function issueNonce() {
    const nonce = generateSiweNonce()
    await issueSignInNonce(db, { nonce, expiresAt: new Date(Date.now() + NONCE_TTL_MS), purgeLimit: NONCE_PURGE_BATCH })
    return nonce
  }

  /**
   * Checks a signed SIWE message (domain and URI of PUBLIC_URL, chain, nonce, expiry, signature) and opens
   * a session. The request's Host header plays no part: a message made for any other origin is refused.
   */
  async function signIn(message: string, signature: Hex) {
    const fields = parseSiweMessage(message)
    if (!fields.address || !fields.nonce || !fields.domain || !fields.uri) throw authError('message', 'is not a Sign-In with Ethereum message')
    const origin = new URL(publicUrl())
    if (fields.domain !== origin.host) throw authError('message.domain', `is ${fields.domain}; this market signs in only for ${origin.host} (its PUBLIC_URL)`)
    if (originOf(fields.uri) !== origin.origin) throw authError('message.uri', `is ${fields.uri}; this market signs in only for ${origin.origin} (its PUBLIC_URL)`)
    if (fields.chainId !== undefined && fields.chainId !== chain.chain.id) throw authError('message', `is for chain ${fields.chainId}, not ${chain.chain.id}`)
    const now = new Date()
    if (fields.expirationTime && fields.expirationTime <= now) throw authError('message', 'has expired; sign in again')
    if (fields.notBefore && fields.notBefore > now) throw authError('message', 'is not valid yet')
    const ok = await chain.publicClient.verifySiweMessage({ message, signature, domain: origin.host, nonce: fields.nonce, time: now }).catch(() => false)
    if (!ok) throw authError('signature', 'does not match the message and address')
    if (!(await useSignInNonce(db, fields.nonce))) throw authError('message', 'nonce is unknown, used or expired; ask /auth/nonce for a new one')
    const token = randomBytes(32).toString('base64url')
    const expires = new Date(Date.now() + sessionDays * 86_400_000)
    const address = getAddress(fields.address)
    await createSession(db, { tokenHash: sha256(token), address, expiresAt: expires })
    return { token, address, expires }
  }

  async function signOut(token: string) {
    await deleteSession(db, sha256(token))
  }

  async function fromSession(token: string): Promise<Auth | undefined> {
    const address = await sessionAddress(db, sha256(token))
    return address ? { address: address as Address, method: 'session' } : undefined
  }

  async function createApiKey(address: Address, name: string) {
    const key = `tm_${randomBytes(24).toString('base64url')}`
    const id = randomUUID()
    await insertApiKey(db, { id, address, name, prefix: key.slice(0, 7), keyHash: sha256(key) })
    return { id, key, prefix: key.slice(0, 7), name }
  }

  async function fromApiKey(key: string): Promise<Auth | undefined> {
    const address = await useApiKey(db, sha256(key))
    return address ? { address: address as Address, method: 'api_key' } : undefined
  }

  /**
   * Verifies a node's request signature; refuses stale timestamps and replays. A replay is the same signer
   * and signed digest seen before by any server sharing the database, whatever the signature's spelling
   * (hex case, or its high-s twin): the primary key lets exactly one of two concurrent requests through.
   */
  async function fromNodeSignature(h: { address: string; timestamp: string; signature: string }, method: string, url: string, body: string | Uint8Array): Promise<Auth> {
    const ts = Number(h.timestamp)
    if (!Number.isFinite(ts) || Math.abs(Date.now() - ts) > NODE_SKEW_MS) throw authError('x-node-timestamp', 'is missing or more than 60 s from the server clock')
    const digest = hashMessage(nodeSigningText(method, url, h.timestamp, body))
    const signer = await recoverAddress({ hash: digest, signature: h.signature as Hex }).catch(() => undefined)
    if (!signer || signer.toLowerCase() !== h.address.toLowerCase()) throw authError('x-node-signature', 'does not match x-node-address over this request')
    // Now and then the same statement drops what expired; rows live NODE_REPLAY_MS, so the table stays bounded.
    const purge = Date.now() - lastReplayPurge > REPLAY_PURGE_EVERY_MS
    if (purge) lastReplayPurge = Date.now()
    const fresh = await recordNodeRequest(db, { signer, digest, expiresAt: new Date(ts + NODE_REPLAY_MS), purgeExpired: purge })
    if (!fresh) throw authError('x-node-signature', 'was already used (replay)')
    return { address: signer, method: 'node' }
  }

  return { issueNonce, signIn, signOut, fromSession, createApiKey, fromApiKey, fromNodeSignature }
}

function originOf(uri: string): string | undefined {
  try {
    return new URL(uri).origin
  } catch {
    return undefined
  }
}

function authError(field: string, reason: string) {
  return new TaskMarketError('UNAUTHENTICATED', `${field}: ${reason}`, { field, details: { reason } })
}

export type AuthService = ReturnType<typeof createAuth>

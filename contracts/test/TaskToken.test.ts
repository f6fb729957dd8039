import { roles } from '@taskmarket/chain'
import { maxUint256, parseEther, zeroAddress, zeroHash } from 'viem'
import { describe, expect, it } from 'vitest'
import { expectRevert, useFixture } from './fixture.ts'

const f = useFixture()
const CAP = 1_000_000_000n * 10n ** 18n

describe('TaskToken', () => {
  it('describes itself: name, symbol, decimals, cap, block-number clock', async () => {
    expect(await f.token.read.name()).toBe('Task Market Token')
    expect(await f.token.read.symbol()).toBe('TASK')
    expect(await f.token.read.decimals()).toBe(18)
    expect(await f.token.read.cap()).toBe(CAP)
    expect(await f.token.read.MAX_SUPPLY()).toBe(CAP)
    expect(await f.token.read.CLOCK_MODE()).toBe('mode=blocknumber&from=default')
    expect(await f.token.read.clock()).toBe(Number(await f.publicClient.getBlockNumber()))
    expect(await f.token.read.MINTER_ROLE()).toBe(roles.MINTER)
    expect(await f.token.read.hasRole([roles.MINTER, f.addresses.sale])).toBe(true)
    expect(await f.token.read.hasRole([zeroHash, f.admin.address])).toBe(true)
  })

  describe('mint', () => {
    it('mints for a MINTER_ROLE holder', async () => {
      await f.grantRole('token', roles.MINTER, f.spare)
      await f.tx(f.spare.token.write.mint([f.poster.address, parseEther('5')]))
      expect(await f.token.read.balanceOf([f.poster.address])).toBe(parseEther('5'))
      expect(await f.token.read.totalSupply()).toBe(parseEther('5'))
    })

    it('refuses anyone without MINTER_ROLE, even the admin', async () => {
      for (const who of [f.outsider, f.admin]) {
        await expectRevert(who.token.write.mint([who.address, 1n]), 'AccessControlUnauthorizedAccount', [
          who.address,
          roles.MINTER,
        ])
      }
    })

    it('refuses to pass the cap, and mints exactly up to it', async () => {
      await f.grantRole('token', roles.MINTER, f.spare)
      await expectRevert(f.spare.token.write.mint([f.poster.address, CAP + 1n]), 'ERC20ExceededCap', [CAP + 1n, CAP])
      await f.tx(f.spare.token.write.mint([f.poster.address, CAP]))
      expect(await f.token.read.totalSupply()).toBe(CAP)
      await expectRevert(f.spare.token.write.mint([f.poster.address, 1n]), 'ERC20ExceededCap', [CAP + 1n, CAP])
    })
  })

  describe('ERC-20', () => {
    it('transfers, approves and transfers from', async () => {
      await f.faucet(f.poster, parseEther('10'))
      await f.tx(f.poster.token.write.transfer([f.worker1.address, parseEther('3')]))
      expect(await f.token.read.balanceOf([f.worker1.address])).toBe(parseEther('3'))

      await f.tx(f.poster.token.write.approve([f.spare.address, parseEther('4')]))
      expect(await f.token.read.allowance([f.poster.address, f.spare.address])).toBe(parseEther('4'))
      await f.tx(f.spare.token.write.transferFrom([f.poster.address, f.worker2.address, parseEther('4')]))
      expect(await f.token.read.balanceOf([f.worker2.address])).toBe(parseEther('4'))
      expect(await f.token.read.balanceOf([f.poster.address])).toBe(parseEther('3'))
      expect(await f.token.read.allowance([f.poster.address, f.spare.address])).toBe(0n)
    })

    it('refuses overdrafts, missing allowances and the zero address', async () => {
      await f.faucet(f.poster, 10n)
      await expectRevert(f.poster.token.write.transfer([f.worker1.address, 11n]), 'ERC20InsufficientBalance', [
        f.poster.address,
        10n,
        11n,
      ])
      await expectRevert(
        f.spare.token.write.transferFrom([f.poster.address, f.spare.address, 1n]),
        'ERC20InsufficientAllowance',
        [f.spare.address, 0n, 1n],
      )
      await expectRevert(f.poster.token.write.transfer([zeroAddress, 1n]), 'ERC20InvalidReceiver', [zeroAddress])
      await expectRevert(f.poster.token.write.approve([zeroAddress, 1n]), 'ERC20InvalidSpender', [zeroAddress])
    })

    it('burns from the caller and, with an allowance, from others', async () => {
      await f.faucet(f.poster, parseEther('10'))
      await f.tx(f.poster.token.write.burn([parseEther('1')]))
      expect(await f.token.read.totalSupply()).toBe(parseEther('9'))
      await expectRevert(f.spare.token.write.burnFrom([f.poster.address, 1n]), 'ERC20InsufficientAllowance')
      await f.tx(f.poster.token.write.approve([f.spare.address, maxUint256]))
      await f.tx(f.spare.token.write.burnFrom([f.poster.address, parseEther('2')]))
      expect(await f.token.read.balanceOf([f.poster.address])).toBe(parseEther('7'))
      expect(await f.token.read.totalSupply()).toBe(parseEther('7'))
      await expectRevert(f.poster.token.write.burn([parseEther('8')]), 'ERC20InsufficientBalance')
    })
  })

  describe('permit (EIP-2612)', () => {
    it('sets an allowance from a real signature and bumps the nonce', async () => {
      const deadline = BigInt((await f.now()) + 3_600)
      const { v, r, s } = await f.signPermit(f.poster, f.spare.address, 123n, deadline)
      await f.tx(f.outsider.token.write.permit([f.poster.address, f.spare.address, 123n, deadline, v, r, s]))
      expect(await f.token.read.allowance([f.poster.address, f.spare.address])).toBe(123n)
      expect(await f.token.read.nonces([f.poster.address])).toBe(1n)
    })

    it('refuses an expired permit, a wrong signer and a replay', async () => {
      const past = BigInt((await f.now()) - 1)
      const expired = await f.signPermit(f.poster, f.spare.address, 1n, past)
      await expectRevert(
        f.outsider.token.write.permit([f.poster.address, f.spare.address, 1n, past, expired.v, expired.r, expired.s]),
        'ERC2612ExpiredSignature',
        [past],
      )

      const deadline = BigInt((await f.now()) + 3_600)
      const forged = await f.signPermit(f.poster, f.spare.address, 1n, deadline, f.outsider)
      await expectRevert(
        f.outsider.token.write.permit([f.poster.address, f.spare.address, 1n, deadline, forged.v, forged.r, forged.s]),
        'ERC2612InvalidSigner',
        [f.outsider.address, f.poster.address],
      )

      const good = await f.signPermit(f.poster, f.spare.address, 1n, deadline)
      const args = [f.poster.address, f.spare.address, 1n, deadline, good.v, good.r, good.s] as const
      await f.tx(f.outsider.token.write.permit(args))
      await expectRevert(f.outsider.token.write.permit(args), 'ERC2612InvalidSigner')
    })
  })

  describe('votes', () => {
    it('counts delegated balances and follows transfers, checkpointed by block number', async () => {
      await f.faucet(f.poster, parseEther('100'))
      expect(await f.token.read.getVotes([f.poster.address])).toBe(0n)
      await f.tx(f.poster.token.write.delegate([f.poster.address]))
      expect(await f.token.read.delegates([f.poster.address])).toBe(f.poster.address)
      expect(await f.token.read.getVotes([f.poster.address])).toBe(parseEther('100'))
      const before = await f.publicClient.getBlockNumber()

      await f.increaseTime(60)
      await f.tx(f.poster.token.write.transfer([f.worker1.address, parseEther('40')]))
      expect(await f.token.read.getVotes([f.poster.address])).toBe(parseEther('60'))
      expect(await f.token.read.getPastVotes([f.poster.address, before])).toBe(parseEther('100'))
      expect(await f.token.read.getPastTotalSupply([before])).toBe(parseEther('100'))
      expect(await f.token.read.numCheckpoints([f.poster.address])).toBe(2)

      const future = (await f.publicClient.getBlockNumber()) + 1_000n
      await expectRevert(f.token.read.getPastVotes([f.poster.address, future]), 'ERC5805FutureLookup')
      // A timestamp is far in the future for a block-number clock.
      await expectRevert(f.token.read.getPastVotes([f.poster.address, BigInt(await f.now())]), 'ERC5805FutureLookup')
    })

    it('delegates by signature, and refuses an expired one', async () => {
      await f.faucet(f.poster, parseEther('10'))
      const expiry = BigInt((await f.now()) + 3_600)
      const sign = (nonce: bigint, exp: bigint) =>
        f.poster.account.signTypedData({
          domain: { name: 'Task Market Token', version: '1', chainId: 31337, verifyingContract: f.addresses.token },
          types: {
            Delegation: [
              { name: 'delegatee', type: 'address' },
              { name: 'nonce', type: 'uint256' },
              { name: 'expiry', type: 'uint256' },
            ],
          },
          primaryType: 'Delegation',
          message: { delegatee: f.worker1.address, nonce, expiry: exp },
        })
      const split = (sig: `0x${string}`) =>
        [Number.parseInt(sig.slice(130, 132), 16), `0x${sig.slice(2, 66)}`, `0x${sig.slice(66, 130)}`] as const

      const past = BigInt((await f.now()) - 1)
      const [v0, r0, s0] = split(await sign(0n, past))
      await expectRevert(
        f.outsider.token.write.delegateBySig([f.worker1.address, 0n, past, v0, r0, s0]),
        'VotesExpiredSignature',
        [past],
      )

      const [v, r, s] = split(await sign(0n, expiry))
      await f.tx(f.outsider.token.write.delegateBySig([f.worker1.address, 0n, expiry, v, r, s]))
      expect(await f.token.read.delegates([f.poster.address])).toBe(f.worker1.address)
      expect(await f.token.read.getVotes([f.worker1.address])).toBe(parseEther('10'))
      await expectRevert(
        f.outsider.token.write.delegateBySig([f.worker1.address, 0n, expiry, v, r, s]),
        'InvalidAccountNonce',
      )
    })
  })

  describe('roles', () => {
    it('lets only the admin grant and revoke, and renounce only for oneself', async () => {
      await expectRevert(
        f.outsider.token.write.grantRole([roles.MINTER, f.outsider.address]),
        'AccessControlUnauthorizedAccount',
        [f.outsider.address, zeroHash],
      )
      await f.grantRole('token', roles.MINTER, f.spare)
      expect(await f.token.read.hasRole([roles.MINTER, f.spare.address])).toBe(true)
      await expectRevert(
        f.spare.token.write.renounceRole([roles.MINTER, f.outsider.address]),
        'AccessControlBadConfirmation',
      )
      await f.tx(f.admin.token.write.revokeRole([roles.MINTER, f.spare.address]))
      expect(await f.token.read.hasRole([roles.MINTER, f.spare.address])).toBe(false)
      expect(await f.token.read.getRoleAdmin([roles.MINTER])).toBe(zeroHash)
      expect(await f.token.read.supportsInterface(['0x7965db0b'])).toBe(true) // IAccessControl
    })
  })
})

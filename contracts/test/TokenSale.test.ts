import { TokenSale, roles } from '@taskmarket/chain'
import { parseEther, parseEventLogs, zeroAddress } from 'viem'
import { describe, expect, it } from 'vitest'
import { expectRevert, useFixture } from './fixture.ts'

const f = useFixture()
const CAP = 1_000_000_000n * 10n ** 18n
const FAUCET_LIMIT = parseEther('100000')

describe('TokenSale', () => {
  it('exposes its token, treasury, price and limits', async () => {
    expect(await f.sale.read.token()).toBe(f.addresses.token)
    expect(await f.sale.read.treasury()).toBe(f.treasury.address)
    expect(await f.sale.read.price()).toBe(parseEther('0.001'))
    expect(await f.sale.read.quote([parseEther('1')])).toBe(parseEther('1000'))
    expect(await f.sale.read.LOCAL_CHAIN_ID()).toBe(31337n)
    expect(await f.sale.read.FAUCET_LIMIT()).toBe(FAUCET_LIMIT)
    expect(await f.sale.read.MIN_PRICE()).toBe(1n)
    expect(await f.sale.read.MAX_PRICE()).toBe(parseEther('1000'))
    expect(await f.sale.read.hasRole([roles.PARAMS, f.admin.address])).toBe(true)
  })

  it('refuses to be deployed with a zero address or a price out of bounds', async () => {
    const deployWith = (args: readonly [`0x${string}`, `0x${string}`, `0x${string}`, bigint]) =>
      f.admin.wallet.deployContract({ abi: TokenSale.abi, bytecode: TokenSale.bytecode, args })
    await expectRevert(deployWith([f.addresses.token, f.admin.address, zeroAddress, 1n]), 'TokenSaleZeroAddress')
    await expectRevert(deployWith([f.addresses.token, zeroAddress, f.treasury.address, 1n]), 'TokenSaleZeroAddress')
    await expectRevert(
      deployWith([f.addresses.token, f.admin.address, f.treasury.address, 0n]),
      'TokenSalePriceOutOfBounds',
      [0n],
    )
  })

  describe('buy', () => {
    it('mints tokens at the price for the recipient and sends the ETH to the treasury', async () => {
      const treasuryEth = await f.publicClient.getBalance({ address: f.treasury.address })
      const receipt = await f.tx(f.poster.sale.write.buy([f.worker1.address], { value: parseEther('2') }))
      expect(await f.token.read.balanceOf([f.worker1.address])).toBe(parseEther('2000'))
      expect(await f.publicClient.getBalance({ address: f.treasury.address })).toBe(treasuryEth + parseEther('2'))
      expect(await f.publicClient.getBalance({ address: f.addresses.sale })).toBe(0n)
      const [event] = parseEventLogs({ abi: TokenSale.abi, logs: receipt.logs, eventName: 'TokensPurchased' })
      expect(event.args).toEqual({
        buyer: f.poster.address,
        recipient: f.worker1.address,
        paid: parseEther('2'),
        amount: parseEther('2000'),
      })
    })

    it('refuses nothing paid, a payment too small for one unit, and the zero recipient', async () => {
      await expectRevert(f.poster.sale.write.buy([f.poster.address], { value: 0n }), 'TokenSaleZeroAmount')
      await f.tx(f.admin.sale.write.setPrice([parseEther('1000')]))
      await expectRevert(f.poster.sale.write.buy([f.poster.address], { value: 1n }), 'TokenSaleZeroAmount')
      await expectRevert(f.poster.sale.write.buy([zeroAddress], { value: parseEther('1') }), 'TokenSaleZeroAddress')
    })

    it('stops at the token cap', async () => {
      await f.tx(f.admin.sale.write.setPrice([1n])) // one wei per whole token: 1e9 wei buys the whole cap
      await expectRevert(f.poster.sale.write.buy([f.poster.address], { value: 1_000_000_001n }), 'ERC20ExceededCap', [
        CAP + 10n ** 18n,
        CAP,
      ])
      await f.tx(f.poster.sale.write.buy([f.poster.address], { value: 1_000_000_000n }))
      expect(await f.token.read.totalSupply()).toBe(CAP)
    })

    it('reverts when the treasury refuses ETH', async () => {
      await f.tx(f.admin.sale.write.setTreasury([f.addresses.token])) // a contract without receive()
      await expectRevert(
        f.poster.sale.write.buy([f.poster.address], { value: parseEther('1') }),
        'TokenSaleTreasuryTransferFailed',
      )
      expect(await f.token.read.totalSupply()).toBe(0n)
    })
  })

  describe('faucet', () => {
    it('drips up to the limit on the local chain', async () => {
      const receipt = await f.tx(f.outsider.sale.write.faucet([f.poster.address, FAUCET_LIMIT]))
      expect(await f.token.read.balanceOf([f.poster.address])).toBe(FAUCET_LIMIT)
      const [event] = parseEventLogs({ abi: TokenSale.abi, logs: receipt.logs, eventName: 'FaucetDripped' })
      expect(event.args).toEqual({ recipient: f.poster.address, amount: FAUCET_LIMIT })
    })

    it('refuses more than the limit, nothing, and the zero address', async () => {
      await expectRevert(
        f.outsider.sale.write.faucet([f.poster.address, FAUCET_LIMIT + 1n]),
        'TokenSaleFaucetLimitExceeded',
        [FAUCET_LIMIT + 1n, FAUCET_LIMIT],
      )
      await expectRevert(f.outsider.sale.write.faucet([f.poster.address, 0n]), 'TokenSaleZeroAmount')
      await expectRevert(f.outsider.sale.write.faucet([zeroAddress, 1n]), 'TokenSaleZeroAddress')
    })

    it('is disabled on any other chain id', async () => {
      const setChainId = (id: number) => f.testClient.request({ method: 'anvil_setChainId', params: [id] } as never)
      await setChainId(1)
      try {
        // eth_call: a signed transaction would carry the old chain id.
        await expectRevert(
          f.publicClient.simulateContract({
            address: f.addresses.sale,
            abi: TokenSale.abi,
            functionName: 'faucet',
            args: [f.poster.address, 1n],
            account: f.poster.address,
          }),
          'TokenSaleFaucetDisabled',
          [1n],
        )
      } finally {
        await setChainId(31337)
      }
    })
  })

  describe('parameters', () => {
    it('sets the price within bounds, by PARAMS_ROLE only', async () => {
      for (const price of [1n, parseEther('1000')]) {
        const receipt = await f.tx(f.admin.sale.write.setPrice([price]))
        expect(await f.sale.read.price()).toBe(price)
        const [event] = parseEventLogs({ abi: TokenSale.abi, logs: receipt.logs, eventName: 'PriceUpdated' })
        expect(event.args.newPrice).toBe(price)
      }
      await expectRevert(f.admin.sale.write.setPrice([0n]), 'TokenSalePriceOutOfBounds', [0n])
      await expectRevert(f.admin.sale.write.setPrice([parseEther('1000') + 1n]), 'TokenSalePriceOutOfBounds', [
        parseEther('1000') + 1n,
      ])
      await expectRevert(f.outsider.sale.write.setPrice([2n]), 'AccessControlUnauthorizedAccount', [
        f.outsider.address,
        roles.PARAMS,
      ])
    })

    it('sets the treasury, not to zero, by PARAMS_ROLE only', async () => {
      const receipt = await f.tx(f.admin.sale.write.setTreasury([f.spare.address]))
      expect(await f.sale.read.treasury()).toBe(f.spare.address)
      const [event] = parseEventLogs({ abi: TokenSale.abi, logs: receipt.logs, eventName: 'TreasuryUpdated' })
      expect(event.args).toEqual({ oldTreasury: f.treasury.address, newTreasury: f.spare.address })
      await expectRevert(f.admin.sale.write.setTreasury([zeroAddress]), 'TokenSaleZeroAddress')
      await expectRevert(f.outsider.sale.write.setTreasury([f.outsider.address]), 'AccessControlUnauthorizedAccount', [
        f.outsider.address,
        roles.PARAMS,
      ])
    })
  })
})

import { type Abi, type Address, type Hex, zeroAddress } from 'viem'
import { type Fixture, expectRevert } from './fixture.ts'

/**
 * Expects deploying `contract`, whose constructor takes (token, admin, treasury), to revert with `errorName`
 * whenever one of the three is the zero address.
 */
export async function expectDeployRefusesZeroAddress(
  f: Fixture,
  contract: { abi: Abi; bytecode: Hex },
  errorName: string,
) {
  const deployWith = (args: readonly [Address, Address, Address]) =>
    f.admin.wallet.deployContract({ abi: contract.abi, bytecode: contract.bytecode, args })
  await expectRevert(deployWith([zeroAddress, f.admin.address, f.treasury.address]), errorName)
  await expectRevert(deployWith([f.addresses.token, zeroAddress, f.treasury.address]), errorName)
  await expectRevert(deployWith([f.addresses.token, f.admin.address, zeroAddress]), errorName)
}

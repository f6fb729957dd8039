// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {ERC20Capped} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Capped.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/// @title TaskToken
/// @notice The market's ERC-20: what posters pay with, workers earn and stakers lock. Supply is capped;
/// new tokens come only from holders of MINTER_ROLE (the token sale). Votes use OpenZeppelin's default
/// block-number clock (EIP-6372): a checkpoint's key is then known when a transaction's gas is estimated,
/// whereas a timestamp key may move on by a second between estimate and inclusion and cost a new slot.
contract TaskToken is ERC20, ERC20Burnable, ERC20Capped, ERC20Permit, ERC20Votes, AccessControl {
    /// @notice Role allowed to mint new tokens, up to the cap.
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");

    /// @notice The hard cap: one billion tokens of 18 decimals.
    uint256 public constant MAX_SUPPLY = 1_000_000_000e18;

    /// @param admin Account that receives DEFAULT_ADMIN_ROLE (later the governance timelock).
    constructor(address admin)
        ERC20("Task Market Token", "TASK")
        ERC20Capped(MAX_SUPPLY)
        ERC20Permit("Task Market Token")
    {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Mints `amount` tokens to `to`. Reverts past the cap.
    function mint(address to, uint256 amount) external onlyRole(MINTER_ROLE) {
        _mint(to, amount);
    }

    /// @inheritdoc ERC20Permit
    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    function _update(address from, address to, uint256 value)
        internal
        override(ERC20, ERC20Capped, ERC20Votes)
    {
        super._update(from, to, value);
    }
}

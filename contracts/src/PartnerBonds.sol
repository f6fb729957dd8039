// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {INodeRegistry} from "./INodeRegistry.sol";
import {NodeRecords} from "./NodeRecords.sol";

/// @title PartnerBonds
/// @notice What trust level 4 (Partner, seed 003) adds to a Trusted node: an SLA commitment (uptime in basis
/// points, within bounds; the server measures it from heartbeats) and an insurance bond in the stake token.
/// The bond is withdrawn as stake is, after its own, longer cooldown, and slashes reach it once the node's
/// stake is gone, so it insures what the Partner's work puts at risk.
abstract contract PartnerBonds is NodeRecords {
    using SafeERC20 for IERC20;

    /// @notice Bond a Partner (trust level 4) has posted, not counting what is queued for withdrawal.
    uint256 public constant LEVEL4_BOND = 10_000e18;
    /// @notice Lowest uptime a node may commit to (90%).
    uint256 public constant MIN_SLA_UPTIME_BPS = 9_000;
    /// @notice Highest uptime a node may commit to (99.99%, seed 003's dedicated tier).
    uint256 public constant MAX_SLA_UPTIME_BPS = 9_999;
    /// @notice Shortest bond cooldown.
    uint256 public constant MIN_BOND_COOLDOWN = 7 days;
    /// @notice Longest bond cooldown.
    uint256 public constant MAX_BOND_COOLDOWN = 180 days;

    uint256 private _bondCooldown = 30 days;

    mapping(address node => Partner) private _partners;

    /// @inheritdoc INodeRegistry
    function commitSla(uint256 uptimeBps) external {
        _registered(msg.sender);
        if (uptimeBps != 0 && (uptimeBps < MIN_SLA_UPTIME_BPS || uptimeBps > MAX_SLA_UPTIME_BPS)) {
            revert NodeRegistrySlaOutOfBounds(uptimeBps);
        }
        _partners[msg.sender].slaUptimeBps = uint16(uptimeBps);
        emit SlaCommitted(msg.sender, uptimeBps);
    }

    /// @inheritdoc INodeRegistry
    function postBond(uint256 amount) external nonReentrant {
        if (amount == 0) revert NodeRegistryZeroAmount();
        _registered(msg.sender);
        Partner storage p = _partners[msg.sender];
        p.bond += uint96(amount);
        emit BondPosted(msg.sender, amount, p.bond);
        token().safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc INodeRegistry
    function requestBondWithdrawal(uint256 amount) external {
        if (amount == 0) revert NodeRegistryZeroAmount();
        Partner storage p = _partners[msg.sender];
        if (p.bond < amount) revert NodeRegistryInsufficientBond(msg.sender, p.bond, amount);
        p.bond -= uint96(amount);
        p.unbonding += uint96(amount);
        p.unbondReadyAt = uint40(block.timestamp + _bondCooldown);
        emit BondWithdrawalRequested(msg.sender, amount, p.unbondReadyAt);
    }

    /// @inheritdoc INodeRegistry
    function withdrawBond() external nonReentrant {
        Partner storage p = _partners[msg.sender];
        uint256 amount = p.unbonding;
        if (amount == 0) revert NodeRegistryNothingToWithdraw(msg.sender);
        if (block.timestamp < p.unbondReadyAt) revert NodeRegistryBondCooldownActive(msg.sender, p.unbondReadyAt);
        p.unbonding = 0;
        emit BondWithdrawn(msg.sender, amount);
        token().safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc INodeRegistry
    function setBondCooldown(uint256 value) external onlyRole(PARAMS_ROLE) {
        _bondCooldown = _parameter("bondCooldown", _bondCooldown, value, MIN_BOND_COOLDOWN, MAX_BOND_COOLDOWN);
    }

    /// @inheritdoc INodeRegistry
    function getPartner(address nodeAddress) external view returns (Partner memory) {
        return _partners[nodeAddress];
    }

    /// @inheritdoc INodeRegistry
    function bondCooldown() external view returns (uint256) {
        return _bondCooldown;
    }

    /// @dev True when the node has committed to an SLA and holds at least LEVEL4_BOND in its bond.
    function _isPartner(address nodeAddress) internal view returns (bool) {
        Partner storage p = _partners[nodeAddress];
        return p.slaUptimeBps != 0 && p.bond >= LEVEL4_BOND;
    }

    /// @dev Takes up to `amount` from the node's bond, then from its queue; returns what it took.
    function _takeBond(address nodeAddress, uint256 amount) internal returns (uint256 taken) {
        Partner storage p = _partners[nodeAddress];
        (uint256 bond, uint256 unbonding) = (p.bond, p.unbonding);
        if (bond == 0 && unbonding == 0) return 0;
        (uint256 fromBond, uint256 fromQueue) = _split(amount, bond, unbonding);
        p.bond = uint96(bond - fromBond);
        p.unbonding = uint96(unbonding - fromQueue);
        return fromBond + fromQueue;
    }

    /// @dev What a slash can take from the node's bond and its queue.
    function _bonded(address nodeAddress) internal view returns (uint256) {
        Partner storage p = _partners[nodeAddress];
        return uint256(p.bond) + p.unbonding;
    }
}

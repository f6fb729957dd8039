// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {INodeRegistry} from "./INodeRegistry.sol";
import {NodeRecords} from "./NodeRecords.sol";

/// @title NodeChallenges
/// @notice Proof-of-work challenges that measure a node's power: the seed comes from the chain, the node finds
/// a nonce with `keccak256(seed, nonce) < target` within the window, and the solve time gives its verified
/// power. Passes count towards trust level 2; a late or missing answer counts as a failure.
abstract contract NodeChallenges is NodeRecords {
    /// @notice Easiest target: about 16 hashes to solve.
    uint256 public constant MAX_POW_TARGET = 1 << 252;
    /// @notice Hardest target: about 2^56 hashes to solve.
    uint256 public constant MIN_POW_TARGET = 1 << 200;
    /// @notice Shortest time a node has to answer a challenge.
    uint256 public constant MIN_POW_WINDOW = 1 minutes;
    /// @notice Longest time a node has to answer a challenge.
    uint256 public constant MAX_POW_WINDOW = 1 days;

    uint256 private _powTarget = 1 << 240;
    uint256 private _powWindow = 10 minutes;
    uint256 private _challengeCount;

    mapping(address node => Challenge) private _challenges;

    /// @inheritdoc INodeRegistry
    function issueChallenge(address nodeAddress) external returns (bytes32 seed) {
        if (msg.sender != nodeAddress && !hasRole(CHALLENGER_ROLE, msg.sender)) {
            revert NodeRegistryUnauthorizedChallenger(msg.sender);
        }
        _registered(nodeAddress);
        Challenge storage c = _challenges[nodeAddress];
        if (c.open) {
            if (block.timestamp <= c.deadline) revert NodeRegistryChallengeOpen(nodeAddress, c.deadline);
            _failChallenge(nodeAddress, c);
        }
        seed = keccak256(abi.encode(blockhash(block.number - 1), block.prevrandao, nodeAddress, ++_challengeCount));
        uint40 deadline = uint40(block.timestamp + _powWindow);
        _challenges[nodeAddress] = Challenge(seed, _powTarget, uint40(block.timestamp), deadline, true);
        emit ChallengeIssued(nodeAddress, seed, _powTarget, deadline);
    }

    /// @inheritdoc INodeRegistry
    function submitSolution(uint256 nonce) external returns (bool passed) {
        Challenge storage c = _challenges[msg.sender];
        if (!c.open) revert NodeRegistryNoOpenChallenge(msg.sender);
        if (block.timestamp > c.deadline) {
            _failChallenge(msg.sender, c);
            return false;
        }
        if (uint256(keccak256(abi.encodePacked(c.seed, nonce))) >= c.target) {
            revert NodeRegistryInvalidSolution(msg.sender, nonce);
        }
        c.open = false;
        uint256 solveTime = block.timestamp - c.issuedAt;
        // Expected hashes for the target, per second of solving (at least one second: block time).
        uint256 power = (type(uint256).max / c.target) / (solveTime == 0 ? 1 : solveTime);
        Node storage node = _node(msg.sender);
        node.powPasses += 1;
        node.lastSolveTime = uint32(solveTime);
        node.verifiedPower = uint128(power);
        emit ChallengeSolved(msg.sender, solveTime, power);
        return true;
    }

    /// @inheritdoc INodeRegistry
    function expireChallenge(address nodeAddress) external {
        Challenge storage c = _challenges[nodeAddress];
        if (!c.open) revert NodeRegistryNoOpenChallenge(nodeAddress);
        if (block.timestamp <= c.deadline) revert NodeRegistryChallengeNotExpired(nodeAddress, c.deadline);
        _failChallenge(nodeAddress, c);
    }

    /// @inheritdoc INodeRegistry
    function setPowTarget(uint256 value) external onlyRole(PARAMS_ROLE) {
        _powTarget = _parameter("powTarget", _powTarget, value, MIN_POW_TARGET, MAX_POW_TARGET);
    }

    /// @inheritdoc INodeRegistry
    function setPowWindow(uint256 value) external onlyRole(PARAMS_ROLE) {
        _powWindow = _parameter("powWindow", _powWindow, value, MIN_POW_WINDOW, MAX_POW_WINDOW);
    }

    /// @inheritdoc INodeRegistry
    function getChallenge(address nodeAddress) external view returns (Challenge memory) {
        return _challenges[nodeAddress];
    }

    /// @inheritdoc INodeRegistry
    function powTarget() external view returns (uint256) {
        return _powTarget;
    }

    /// @inheritdoc INodeRegistry
    function powWindow() external view returns (uint256) {
        return _powWindow;
    }

    function _failChallenge(address nodeAddress, Challenge storage c) private {
        c.open = false;
        _node(nodeAddress).powFailures += 1;
        emit ChallengeFailed(nodeAddress);
    }
}

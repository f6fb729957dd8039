// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {INodeRegistry} from "./INodeRegistry.sol";
import {NodeChallenges} from "./NodeChallenges.sol";
import {NodeRecords} from "./NodeRecords.sol";
import {PartnerBonds} from "./PartnerBonds.sol";
import {TrustCodec} from "./TrustCodec.sol";

/// @title NodeRegistry
/// @notice Worker nodes (see `INodeRegistry`): registration, stake with an unstaking cooldown, slashing one at
/// a time or in settle batches, the task counters and reputations the escrow writes at settlement, the trust
/// level and state these give a node; proof-of-work challenges (`NodeChallenges`) and a Partner's SLA and
/// bond (`PartnerBonds`) on the shared records of `NodeRecords`.
contract NodeRegistry is NodeRecords, NodeChallenges, PartnerBonds {
    using SafeERC20 for IERC20;

    /// @notice Stake of a Basic node (trust level 1).
    uint256 public constant LEVEL1_STAKE = 100e18;
    /// @notice Stake of a Verified node (trust level 2).
    uint256 public constant LEVEL2_STAKE = 1_000e18;
    /// @notice Stake of a Trusted node (trust level 3).
    uint256 public constant LEVEL3_STAKE = 10_000e18;
    /// @notice Proof-of-work challenges a Verified node has passed.
    uint256 public constant LEVEL2_POW_PASSES = 10;
    /// @notice Tasks a Trusted node has completed.
    uint256 public constant LEVEL3_TASKS = 100;
    /// @notice Least share of a Trusted node's tasks that were completed rather than failed, in basis points.
    uint256 public constant LEVEL3_SUCCESS_BPS = 9_500;

    /// @notice Shortest unstaking cooldown.
    uint256 public constant MIN_COOLDOWN = 1 hours;
    /// @notice Longest unstaking cooldown.
    uint256 public constant MAX_COOLDOWN = 30 days;
    /// @notice Most nodes one `recordTaskResults` call updates.
    uint256 public constant MAX_RECORD_BATCH = 1_024;
    /// @notice Most slashes one settle batch carries.
    uint256 public constant MAX_BATCH_SLASHES = 256;
    /// @notice Largest slash in basis points of a node's stake (seed 003's heaviest penalty, for misuse).
    uint256 public constant MAX_SLASH_BPS = 5_000;
    /// @notice PoW challenges a node may fail before its first pass and still be Pending (then it is Rejected).
    uint256 public constant MAX_POW_FAILURES_UNVERIFIED = 3;

    uint256 private constant COUNT_MASK = type(uint32).max;
    uint256 private constant FAILED_SHIFT = 32;
    uint256 private constant LAST_SLASH_REASON = uint256(type(SlashReason).max);

    address private _treasury;
    uint256 private _unstakeCooldown = 7 days;

    /// @param token_ The stake token (burnable, for slashing by burn).
    /// @param admin Receives DEFAULT_ADMIN_ROLE and PARAMS_ROLE.
    /// @param treasury_ Where slashed stake goes when it is not burned.
    constructor(IERC20 token_, address admin, address treasury_) NodeRecords(token_) {
        if (address(token_) == address(0) || admin == address(0) || treasury_ == address(0)) {
            revert NodeRegistryZeroAddress();
        }
        _treasury = treasury_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PARAMS_ROLE, admin);
    }

    // ------------------------------------------------------------------ nodes and stake

    /// @inheritdoc INodeRegistry
    function registerNode(bytes32 metadataHash) external {
        Node storage node = _node(msg.sender);
        if (node.registered) revert NodeRegistryAlreadyRegistered(msg.sender);
        node.registered = true;
        node.metadataHash = metadataHash;
        node.registeredAt = uint40(block.timestamp);
        emit NodeRegistered(msg.sender, metadataHash);
    }

    /// @inheritdoc INodeRegistry
    function updateMetadata(bytes32 metadataHash) external {
        Node storage node = _registered(msg.sender);
        node.metadataHash = metadataHash;
        emit NodeMetadataUpdated(msg.sender, metadataHash);
    }

    /// @inheritdoc INodeRegistry
    function stake(uint256 amount) external nonReentrant {
        if (amount == 0) revert NodeRegistryZeroAmount();
        Node storage node = _registered(msg.sender);
        node.stake += uint96(amount);
        node.slashed = false;
        emit Staked(msg.sender, amount, node.stake);
        token().safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc INodeRegistry
    function requestUnstake(uint256 amount) external {
        if (amount == 0) revert NodeRegistryZeroAmount();
        Node storage node = _registered(msg.sender);
        if (node.stake < amount) revert NodeRegistryInsufficientStake(msg.sender, node.stake, amount);
        node.stake -= uint96(amount);
        node.unstaking += uint96(amount);
        node.unstakeReadyAt = uint40(block.timestamp + _unstakeCooldown);
        emit UnstakeRequested(msg.sender, amount, node.unstakeReadyAt);
    }

    /// @inheritdoc INodeRegistry
    function withdrawStake() external nonReentrant {
        Node storage node = _node(msg.sender);
        uint256 amount = node.unstaking;
        if (amount == 0) revert NodeRegistryNothingToWithdraw(msg.sender);
        if (block.timestamp < node.unstakeReadyAt) revert NodeRegistryCooldownActive(msg.sender, node.unstakeReadyAt);
        node.unstaking = 0;
        emit StakeWithdrawn(msg.sender, amount);
        token().safeTransfer(msg.sender, amount);
    }

    // ------------------------------------------------------------------ slashing

    /// @inheritdoc INodeRegistry
    function slash(address nodeAddress, uint256 amount, bool burn, bytes32 reason)
        external
        onlyRole(SLASHER_ROLE)
        nonReentrant
    {
        if (amount == 0) revert NodeRegistryZeroAmount();
        Node storage node = _node(nodeAddress);
        uint256 staked = uint256(node.stake) + node.unstaking;
        if (amount > staked) {
            uint256 available = staked + _bonded(nodeAddress);
            if (available < amount) revert NodeRegistryInsufficientStake(nodeAddress, available, amount);
        }
        _take(nodeAddress, node, amount);
        emit NodeSlashed(nodeAddress, amount, burn, reason);
        _payOut(burn ? amount : 0, burn ? 0 : amount);
    }

    /// @inheritdoc INodeRegistry
    function slashInBatch(bytes32 batchId, address[] calldata accounts, uint256[] calldata slashes)
        external
        onlyRole(SLASHER_ROLE)
        nonReentrant
    {
        if (slashes.length > MAX_BATCH_SLASHES) revert NodeRegistryBatchTooLarge();
        uint256 burned;
        uint256 toTreasury;
        for (uint256 i = 0; i < slashes.length; ++i) {
            (uint256 index, uint256 reason, uint256 amount, bool inBps, bool burn, bool ban, bool known) =
                TrustCodec.slash(slashes[i]);
            if (
                !known || reason == 0 || reason > LAST_SLASH_REASON || amount == 0
                    || (inBps && amount > MAX_SLASH_BPS)
            ) revert NodeRegistryMalformedSlash(slashes[i]);
            if (index >= accounts.length) revert NodeRegistryInvalidAccountIndex(index);
            address nodeAddress = accounts[index];
            Node storage node = _node(nodeAddress);
            if (inBps) amount = ((uint256(node.stake) + node.unstaking) * amount) / BPS;
            uint256 taken = _take(nodeAddress, node, amount);
            if (ban) node.banned = true;
            if (burn) burned += taken;
            else toTreasury += taken;
            emit NodeSlashedInBatch(nodeAddress, batchId, SlashReason(reason), taken, burn, ban);
        }
        _payOut(burned, toTreasury);
    }

    // ------------------------------------------------------------------ settlement records

    /// @inheritdoc INodeRegistry
    function recordTaskResults(address[] calldata nodes, uint256[] calldata counts, uint256[] calldata reputations)
        external
        onlyRole(RECORDER_ROLE)
    {
        uint256 n = nodes.length;
        if (n > MAX_RECORD_BATCH) revert NodeRegistryBatchTooLarge();
        bool withReputations = reputations.length != 0;
        if (counts.length != n || (withReputations && reputations.length != TrustCodec.reputationWords(n))) {
            revert NodeRegistryLengthMismatch();
        }
        if (TrustCodec.unusedReputationBits(reputations, n) != 0) revert NodeRegistryMalformedReputation(n);
        for (uint256 i = 0; i < n; ++i) {
            uint256 count = counts[i];
            uint256 entry = withReputations ? TrustCodec.reputationEntry(reputations, i) : 0;
            if (count == 0 && entry == 0) continue;
            Node storage node = _node(nodes[i]);
            if (count != 0) {
                uint256 completed = count & COUNT_MASK;
                uint256 failed = (count >> FAILED_SHIFT) & COUNT_MASK;
                node.tasksCompleted += uint32(completed);
                node.tasksFailed += uint32(failed);
                emit TaskResultsRecorded(nodes[i], completed, failed);
            }
            if (entry != 0) {
                (uint256 bps, bool wellFormed) = TrustCodec.reputationBps(entry);
                if (!wellFormed || bps > BPS) revert NodeRegistryMalformedReputation(i);
                node.reputation = uint16(bps);
                emit ReputationRecorded(nodes[i], bps);
            }
        }
    }

    // ------------------------------------------------------------------ parameters

    /// @inheritdoc INodeRegistry
    function setUnstakeCooldown(uint256 value) external onlyRole(PARAMS_ROLE) {
        _unstakeCooldown = _parameter("unstakeCooldown", _unstakeCooldown, value, MIN_COOLDOWN, MAX_COOLDOWN);
    }

    /// @inheritdoc INodeRegistry
    function setTreasury(address newTreasury) external onlyRole(PARAMS_ROLE) {
        if (newTreasury == address(0)) revert NodeRegistryZeroAddress();
        address old = _treasury;
        _treasury = newTreasury;
        emit TreasuryUpdated(old, newTreasury);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc INodeRegistry
    function trustLevel(address nodeAddress) external view returns (uint8) {
        Node storage node = _node(nodeAddress);
        if (!node.registered || node.banned || node.stake < LEVEL1_STAKE) return 0;
        if (node.stake < LEVEL2_STAKE || node.powPasses < LEVEL2_POW_PASSES) return 1;
        uint256 done = node.tasksCompleted;
        uint256 total = done + node.tasksFailed;
        if (node.stake < LEVEL3_STAKE || done < LEVEL3_TASKS || done * BPS < total * LEVEL3_SUCCESS_BPS) return 2;
        return _isPartner(nodeAddress) ? 4 : 3;
    }

    /// @inheritdoc INodeRegistry
    function nodeState(address nodeAddress) external view returns (NodeState) {
        Node storage node = _node(nodeAddress);
        if (!node.registered) return NodeState.None;
        if (node.banned || (node.powPasses == 0 && node.powFailures >= MAX_POW_FAILURES_UNVERIFIED)) {
            return NodeState.Rejected;
        }
        if (node.stake < LEVEL1_STAKE) {
            if (node.slashed) return NodeState.Slashed;
            return node.powPasses == 0 ? NodeState.Pending : NodeState.Inactive;
        }
        if (node.powPasses == 0) return NodeState.Pending;
        return node.tasksCompleted == 0 ? NodeState.Verified : NodeState.Earning;
    }

    /// @inheritdoc INodeRegistry
    function treasury() external view returns (address) {
        return _treasury;
    }

    /// @inheritdoc INodeRegistry
    function unstakeCooldown() external view returns (uint256) {
        return _unstakeCooldown;
    }

    // ------------------------------------------------------------------ internals

    /// @dev Takes up to `amount` from the node's stake, then its unstaking queue, then its bond; returns what it
    /// took and marks the node slashed when that is anything.
    function _take(address nodeAddress, Node storage node, uint256 amount) private returns (uint256 taken) {
        (uint256 staked, uint256 unstaking) = (node.stake, node.unstaking);
        (uint256 fromStake, uint256 fromQueue) = _split(amount, staked, unstaking);
        taken = fromStake + fromQueue;
        if (taken < amount) taken += _takeBond(nodeAddress, amount - taken);
        if (taken == 0) return 0;
        node.stake = uint96(staked - fromStake);
        node.unstaking = uint96(unstaking - fromQueue);
        node.slashed = true;
    }

    /// @dev Burns `burned` slashed tokens and sends `toTreasury` to the treasury.
    function _payOut(uint256 burned, uint256 toTreasury) private {
        if (burned != 0) ERC20Burnable(address(token())).burn(burned);
        if (toTreasury != 0) token().safeTransfer(_treasury, toTreasury);
    }
}

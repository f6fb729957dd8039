// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {INodeRegistry} from "./INodeRegistry.sol";

/// @title NodeRegistry
/// @notice Worker nodes: registration, stake with an unstaking cooldown, slashing, proof-of-work challenges
/// that measure a node's power, and the task counters the escrow writes at settlement. A node is the address
/// of its node key. `trustLevel` follows seed 003: Basic, Verified, Trusted.
contract NodeRegistry is INodeRegistry, AccessControl, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Role that slashes stake (the escrow's operator now, the dispute court later).
    bytes32 public constant SLASHER_ROLE = keccak256("SLASHER_ROLE");
    /// @notice Role that writes task outcomes (the escrow).
    bytes32 public constant RECORDER_ROLE = keccak256("RECORDER_ROLE");
    /// @notice Role that may challenge any node (a node may always challenge itself).
    bytes32 public constant CHALLENGER_ROLE = keccak256("CHALLENGER_ROLE");
    /// @notice Role that sets cooldown, PoW difficulty and window, and the treasury (later the timelock).
    bytes32 public constant PARAMS_ROLE = keccak256("PARAMS_ROLE");

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
    /// @notice Easiest target: about 16 hashes to solve.
    uint256 public constant MAX_POW_TARGET = 1 << 252;
    /// @notice Hardest target: about 2^56 hashes to solve.
    uint256 public constant MIN_POW_TARGET = 1 << 200;
    /// @notice Shortest time a node has to answer a challenge.
    uint256 public constant MIN_POW_WINDOW = 1 minutes;
    /// @notice Longest time a node has to answer a challenge.
    uint256 public constant MAX_POW_WINDOW = 1 days;
    /// @notice Most nodes one `recordTaskResults` call updates.
    uint256 public constant MAX_RECORD_BATCH = 1_024;

    /// @notice A node as `getNode` shows it: stake and unstaking queue, metadata, task counters, PoW record.
    struct Node {
        uint96 stake;
        uint96 unstaking;
        uint40 unstakeReadyAt;
        bool registered;
        bytes32 metadataHash;
        uint32 tasksCompleted;
        uint32 tasksFailed;
        uint32 powPasses;
        uint32 powFailures;
        uint32 lastSolveTime;
        uint40 registeredAt;
        uint128 verifiedPower;
    }

    /// @notice A node's latest proof-of-work challenge: solved when `keccak256(seed, nonce) < target`.
    struct Challenge {
        bytes32 seed;
        uint256 target;
        uint40 issuedAt;
        uint40 deadline;
        bool open;
    }

    IERC20 private immutable _token;
    address private _treasury;
    uint256 private _unstakeCooldown = 7 days;
    uint256 private _powTarget = 1 << 240;
    uint256 private _powWindow = 10 minutes;
    uint256 private _challengeCount;

    mapping(address node => Node) private _nodes;
    mapping(address node => Challenge) private _challenges;

    event NodeRegistered(address indexed node, bytes32 metadataHash);
    event NodeMetadataUpdated(address indexed node, bytes32 metadataHash);
    event Staked(address indexed node, uint256 amount, uint256 totalStake);
    event UnstakeRequested(address indexed node, uint256 amount, uint256 readyAt);
    event StakeWithdrawn(address indexed node, uint256 amount);
    event NodeSlashed(address indexed node, uint256 amount, bool burned, bytes32 reason);
    event ChallengeIssued(address indexed node, bytes32 seed, uint256 target, uint256 deadline);
    event ChallengeSolved(address indexed node, uint256 solveTime, uint256 verifiedPower);
    event ChallengeFailed(address indexed node);
    event TaskResultsRecorded(address indexed node, uint256 completed, uint256 failed);
    event ParameterUpdated(bytes32 indexed name, uint256 oldValue, uint256 newValue);
    event TreasuryUpdated(address oldTreasury, address newTreasury);

    error NodeRegistryZeroAddress();
    error NodeRegistryZeroAmount();
    error NodeRegistryAlreadyRegistered(address node);
    error NodeRegistryNotRegistered(address node);
    error NodeRegistryInsufficientStake(address node, uint256 available, uint256 needed);
    error NodeRegistryNothingToWithdraw(address node);
    error NodeRegistryCooldownActive(address node, uint256 readyAt);
    error NodeRegistryUnauthorizedChallenger(address caller);
    error NodeRegistryChallengeOpen(address node, uint256 deadline);
    error NodeRegistryNoOpenChallenge(address node);
    error NodeRegistryChallengeNotExpired(address node, uint256 deadline);
    error NodeRegistryInvalidSolution(address node, uint256 nonce);
    error NodeRegistryLengthMismatch();
    error NodeRegistryBatchTooLarge();
    error NodeRegistryParameterOutOfBounds(bytes32 name, uint256 value);

    /// @param token_ The stake token (burnable, for slashing by burn).
    /// @param admin Receives DEFAULT_ADMIN_ROLE and PARAMS_ROLE.
    /// @param treasury_ Where slashed stake goes when it is not burned.
    constructor(IERC20 token_, address admin, address treasury_) {
        if (address(token_) == address(0) || admin == address(0) || treasury_ == address(0)) {
            revert NodeRegistryZeroAddress();
        }
        _token = token_;
        _treasury = treasury_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PARAMS_ROLE, admin);
    }

    // ------------------------------------------------------------------ nodes and stake

    /// @notice Registers the caller as a node described by `metadataHash` (hash of its advertised specs).
    function registerNode(bytes32 metadataHash) external {
        Node storage node = _nodes[msg.sender];
        if (node.registered) revert NodeRegistryAlreadyRegistered(msg.sender);
        node.registered = true;
        node.metadataHash = metadataHash;
        node.registeredAt = uint40(block.timestamp);
        emit NodeRegistered(msg.sender, metadataHash);
    }

    /// @notice Replaces the caller's metadata hash.
    function updateMetadata(bytes32 metadataHash) external {
        Node storage node = _registered(msg.sender);
        node.metadataHash = metadataHash;
        emit NodeMetadataUpdated(msg.sender, metadataHash);
    }

    /// @notice Adds `amount` tokens (approved to this contract) to the caller's stake.
    function stake(uint256 amount) external nonReentrant {
        if (amount == 0) revert NodeRegistryZeroAmount();
        Node storage node = _registered(msg.sender);
        node.stake += uint96(amount);
        emit Staked(msg.sender, amount, node.stake);
        _token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @notice Moves `amount` of stake into the unstaking queue; it may be withdrawn after the cooldown,
    /// which restarts for the whole queued amount. Queued stake can still be slashed.
    function requestUnstake(uint256 amount) external {
        if (amount == 0) revert NodeRegistryZeroAmount();
        Node storage node = _registered(msg.sender);
        if (node.stake < amount) revert NodeRegistryInsufficientStake(msg.sender, node.stake, amount);
        node.stake -= uint96(amount);
        node.unstaking += uint96(amount);
        node.unstakeReadyAt = uint40(block.timestamp + _unstakeCooldown);
        emit UnstakeRequested(msg.sender, amount, node.unstakeReadyAt);
    }

    /// @notice Sends the caller's queued stake back once its cooldown has passed.
    function withdrawStake() external nonReentrant {
        Node storage node = _nodes[msg.sender];
        uint256 amount = node.unstaking;
        if (amount == 0) revert NodeRegistryNothingToWithdraw(msg.sender);
        if (block.timestamp < node.unstakeReadyAt) revert NodeRegistryCooldownActive(msg.sender, node.unstakeReadyAt);
        node.unstaking = 0;
        emit StakeWithdrawn(msg.sender, amount);
        _token.safeTransfer(msg.sender, amount);
    }

    /// @notice Takes `amount` from a node's stake, then from its unstaking queue; burns it or sends it to
    /// the treasury.
    function slash(address nodeAddress, uint256 amount, bool burn, bytes32 reason)
        external
        onlyRole(SLASHER_ROLE)
        nonReentrant
    {
        if (amount == 0) revert NodeRegistryZeroAmount();
        Node storage node = _nodes[nodeAddress];
        uint256 available = uint256(node.stake) + node.unstaking;
        if (available < amount) revert NodeRegistryInsufficientStake(nodeAddress, available, amount);
        uint256 fromStake = amount < node.stake ? amount : node.stake;
        node.stake -= uint96(fromStake);
        node.unstaking -= uint96(amount - fromStake);
        emit NodeSlashed(nodeAddress, amount, burn, reason);
        if (burn) ERC20Burnable(address(_token)).burn(amount);
        else _token.safeTransfer(_treasury, amount);
    }

    // ------------------------------------------------------------------ proof of work

    /// @notice Opens a challenge for `nodeAddress` with a seed derived from the previous block, so the node
    /// cannot choose it. Callable by the node itself or a CHALLENGER_ROLE holder; one open at a time.
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

    /// @notice Answers the caller's open challenge: passes when `keccak256(seed, nonce) < target` before the
    /// deadline. A wrong nonce reverts (the node may try again); a late answer records a failure.
    /// @return passed True when the challenge was passed.
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
        Node storage node = _nodes[msg.sender];
        node.powPasses += 1;
        node.lastSolveTime = uint32(solveTime);
        node.verifiedPower = uint128(power);
        emit ChallengeSolved(msg.sender, solveTime, power);
        return true;
    }

    /// @notice Records the failure of a node's challenge whose deadline has passed; anyone may call it.
    function expireChallenge(address nodeAddress) external {
        Challenge storage c = _challenges[nodeAddress];
        if (!c.open) revert NodeRegistryNoOpenChallenge(nodeAddress);
        if (block.timestamp <= c.deadline) revert NodeRegistryChallengeNotExpired(nodeAddress, c.deadline);
        _failChallenge(nodeAddress, c);
    }

    // ------------------------------------------------------------------ task outcomes

    /// @inheritdoc INodeRegistry
    function recordTaskResults(address[] calldata nodes, uint32[] calldata completed, uint32[] calldata failed)
        external
        onlyRole(RECORDER_ROLE)
    {
        if (nodes.length != completed.length || nodes.length != failed.length) revert NodeRegistryLengthMismatch();
        if (nodes.length > MAX_RECORD_BATCH) revert NodeRegistryBatchTooLarge();
        for (uint256 i = 0; i < nodes.length; ++i) {
            if (completed[i] == 0 && failed[i] == 0) continue;
            Node storage node = _nodes[nodes[i]];
            node.tasksCompleted += completed[i];
            node.tasksFailed += failed[i];
            emit TaskResultsRecorded(nodes[i], completed[i], failed[i]);
        }
    }

    // ------------------------------------------------------------------ parameters

    /// @notice Sets how long queued stake waits before it can be withdrawn.
    function setUnstakeCooldown(uint256 value) external onlyRole(PARAMS_ROLE) {
        _checkBounds("unstakeCooldown", value, MIN_COOLDOWN, MAX_COOLDOWN);
        uint256 old = _unstakeCooldown;
        _unstakeCooldown = value;
        emit ParameterUpdated("unstakeCooldown", old, value);
    }

    /// @notice Sets the PoW target of new challenges (lower is harder).
    function setPowTarget(uint256 value) external onlyRole(PARAMS_ROLE) {
        _checkBounds("powTarget", value, MIN_POW_TARGET, MAX_POW_TARGET);
        uint256 old = _powTarget;
        _powTarget = value;
        emit ParameterUpdated("powTarget", old, value);
    }

    /// @notice Sets how long a node has to answer a challenge.
    function setPowWindow(uint256 value) external onlyRole(PARAMS_ROLE) {
        _checkBounds("powWindow", value, MIN_POW_WINDOW, MAX_POW_WINDOW);
        uint256 old = _powWindow;
        _powWindow = value;
        emit ParameterUpdated("powWindow", old, value);
    }

    /// @notice Sets where slashed stake goes when it is not burned.
    function setTreasury(address newTreasury) external onlyRole(PARAMS_ROLE) {
        if (newTreasury == address(0)) revert NodeRegistryZeroAddress();
        address old = _treasury;
        _treasury = newTreasury;
        emit TreasuryUpdated(old, newTreasury);
    }

    // ------------------------------------------------------------------ views

    /// @notice Seed 003's trust level: 0 none, 1 Basic (100 staked), 2 Verified (1,000 staked and 10 PoW
    /// passes), 3 Trusted (10,000 staked, 100 tasks completed at a 95% success rate, and level 2's passes).
    function trustLevel(address nodeAddress) external view returns (uint8) {
        Node storage node = _nodes[nodeAddress];
        if (!node.registered || node.stake < LEVEL1_STAKE) return 0;
        if (node.stake < LEVEL2_STAKE || node.powPasses < LEVEL2_POW_PASSES) return 1;
        uint256 done = node.tasksCompleted;
        uint256 total = done + node.tasksFailed;
        if (node.stake < LEVEL3_STAKE || done < LEVEL3_TASKS || done * 10_000 < total * LEVEL3_SUCCESS_BPS) return 2;
        return 3;
    }

    /// @notice A node's record (all zero for an address that never registered).
    function getNode(address nodeAddress) external view returns (Node memory) {
        return _nodes[nodeAddress];
    }

    /// @notice A node's latest challenge (`open` until it is solved or failed).
    function getChallenge(address nodeAddress) external view returns (Challenge memory) {
        return _challenges[nodeAddress];
    }

    /// @notice The stake token.
    function token() external view returns (IERC20) {
        return _token;
    }

    /// @notice Where slashed stake goes when it is not burned.
    function treasury() external view returns (address) {
        return _treasury;
    }

    /// @notice How long queued stake waits before it can be withdrawn, in seconds.
    function unstakeCooldown() external view returns (uint256) {
        return _unstakeCooldown;
    }

    /// @notice The PoW target of new challenges (lower is harder).
    function powTarget() external view returns (uint256) {
        return _powTarget;
    }

    /// @notice How long a node has to answer a challenge, in seconds.
    function powWindow() external view returns (uint256) {
        return _powWindow;
    }

    // ------------------------------------------------------------------ internals

    function _registered(address nodeAddress) private view returns (Node storage node) {
        node = _nodes[nodeAddress];
        if (!node.registered) revert NodeRegistryNotRegistered(nodeAddress);
    }

    function _failChallenge(address nodeAddress, Challenge storage c) private {
        c.open = false;
        _nodes[nodeAddress].powFailures += 1;
        emit ChallengeFailed(nodeAddress);
    }

    function _checkBounds(bytes32 name, uint256 value, uint256 min, uint256 max) private pure {
        if (value < min || value > max) revert NodeRegistryParameterOutOfBounds(name, value);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title INodeRegistry
/// @notice Worker nodes: registration, stake with an unstaking cooldown, slashing (one at a time by a dispute,
/// or many in a settle batch), proof-of-work challenges that measure a node's power, the task counters and
/// the reputation the escrow writes at settlement, a Partner's SLA and insurance bond, and the trust level and
/// state all of these give a node. A node is the address of its node key.
interface INodeRegistry {
    /// @notice Seed 003's node states, as `nodeState` derives them from the chain. `Active` needs heartbeats,
    /// which the chain does not see: the chain never returns it, the server shows a Verified or Earning node
    /// that sends heartbeats as Active and one that stopped as Inactive.
    enum NodeState {
        None,
        Pending,
        Verified,
        Active,
        Earning,
        Inactive,
        Slashed,
        Rejected
    }

    /// @notice Why a settle batch slashed a node (seed 003's slashing table; the rates are the market's).
    enum SlashReason {
        None,
        TaskTimeout,
        WrongResult,
        Misuse,
        RepeatedFailures
    }

    /// @notice A node as `getNode` shows it: stake and unstaking queue, whether a slash left it (since it last
    /// staked) and whether it is banned, metadata, task counters and reputation, PoW record.
    struct Node {
        uint96 stake;
        uint96 unstaking;
        uint40 unstakeReadyAt;
        bool registered;
        bool slashed;
        bool banned;
        bytes32 metadataHash;
        uint32 tasksCompleted;
        uint32 tasksFailed;
        uint16 reputation;
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

    /// @notice A Partner's commitments: its insurance bond and withdrawal queue, and its SLA uptime in basis
    /// points (zero: no SLA).
    struct Partner {
        uint96 bond;
        uint96 unbonding;
        uint40 unbondReadyAt;
        uint16 slaUptimeBps;
    }

    event NodeRegistered(address indexed node, bytes32 metadataHash);
    event NodeMetadataUpdated(address indexed node, bytes32 metadataHash);
    event Staked(address indexed node, uint256 amount, uint256 totalStake);
    event UnstakeRequested(address indexed node, uint256 amount, uint256 readyAt);
    event StakeWithdrawn(address indexed node, uint256 amount);
    /// @notice A slash by `slash` (a dispute): `reason` is the caller's reference.
    event NodeSlashed(address indexed node, uint256 amount, bool burned, bytes32 reason);
    /// @notice A slash of settle batch `batchId` took `amount` (all the node held, when it held less than the
    /// slash asked); the batch's job records anchor the results it is about.
    event NodeSlashedInBatch(
        address indexed node, bytes32 indexed batchId, SlashReason reason, uint256 amount, bool burned, bool banned
    );
    event ChallengeIssued(address indexed node, bytes32 seed, uint256 target, uint256 deadline);
    event ChallengeSolved(address indexed node, uint256 solveTime, uint256 verifiedPower);
    event ChallengeFailed(address indexed node);
    event TaskResultsRecorded(address indexed node, uint256 completed, uint256 failed);
    event ReputationRecorded(address indexed node, uint256 reputation);
    event SlaCommitted(address indexed node, uint256 uptimeBps);
    event BondPosted(address indexed node, uint256 amount, uint256 totalBond);
    event BondWithdrawalRequested(address indexed node, uint256 amount, uint256 readyAt);
    event BondWithdrawn(address indexed node, uint256 amount);
    event ParameterUpdated(bytes32 indexed name, uint256 oldValue, uint256 newValue);
    event TreasuryUpdated(address oldTreasury, address newTreasury);

    error NodeRegistryZeroAddress();
    error NodeRegistryZeroAmount();
    error NodeRegistryAlreadyRegistered(address node);
    error NodeRegistryNotRegistered(address node);
    error NodeRegistryInsufficientStake(address node, uint256 available, uint256 needed);
    error NodeRegistryInsufficientBond(address node, uint256 available, uint256 needed);
    error NodeRegistryNothingToWithdraw(address node);
    error NodeRegistryCooldownActive(address node, uint256 readyAt);
    error NodeRegistryBondCooldownActive(address node, uint256 readyAt);
    error NodeRegistryUnauthorizedChallenger(address caller);
    error NodeRegistryChallengeOpen(address node, uint256 deadline);
    error NodeRegistryNoOpenChallenge(address node);
    error NodeRegistryChallengeNotExpired(address node, uint256 deadline);
    error NodeRegistryInvalidSolution(address node, uint256 nonce);
    error NodeRegistryLengthMismatch();
    /// @dev More than MAX_RECORD_BATCH nodes or MAX_BATCH_SLASHES slashes.
    error NodeRegistryBatchTooLarge();
    error NodeRegistryParameterOutOfBounds(bytes32 name, uint256 value);
    /// @dev Neither zero nor within [MIN_SLA_UPTIME_BPS, MAX_SLA_UPTIME_BPS].
    error NodeRegistrySlaOutOfBounds(uint256 uptimeBps);
    error NodeRegistryInvalidAccountIndex(uint256 index);
    /// @dev A slash that sets unknown bits, names no known reason, asks for nothing or for more than
    /// MAX_SLASH_BPS of the stake.
    error NodeRegistryMalformedSlash(uint256 slash);
    /// @dev A reputation entry that is not `0x8000 | bps` with bps at most BPS, or one past the batch's accounts
    /// (`index` is then the number of accounts).
    error NodeRegistryMalformedReputation(uint256 index);

    // ------------------------------------------------------------------ nodes and stake

    /// @notice Registers the caller as a node described by `metadataHash` (hash of its advertised specs).
    function registerNode(bytes32 metadataHash) external;

    /// @notice Replaces the caller's metadata hash.
    function updateMetadata(bytes32 metadataHash) external;

    /// @notice Adds `amount` tokens (approved to this contract) to the caller's stake; a node a slash left
    /// stops showing as Slashed.
    function stake(uint256 amount) external;

    /// @notice Moves `amount` of stake into the unstaking queue; it may be withdrawn after the cooldown,
    /// which restarts for the whole queued amount. Queued stake can still be slashed.
    function requestUnstake(uint256 amount) external;

    /// @notice Sends the caller's queued stake back once its cooldown has passed.
    function withdrawStake() external;

    // ------------------------------------------------------------------ slashing (SLASHER_ROLE)

    /// @notice Takes `amount` from a node's stake, then from its unstaking queue, then from its bond and the
    /// bond's queue; burns it or sends it to the treasury. Reverts when the node holds less.
    function slash(address node, uint256 amount, bool burn, bytes32 reason) external;

    /// @notice Applies the slashes of settle batch `batchId` (the escrow calls it once per batch that has
    /// any). Each slash is packed in a word (`TrustCodec`, written by `packages/chain/src/settlement.ts`):
    /// bits 0..95 the amount in base units, or in basis points of the node's stake (stake and unstaking
    /// queue) when bit 120 is set, at most MAX_SLASH_BPS; bits 96..111 the node's index in `accounts`; bits
    /// 112..119 the `SlashReason`; bit 121 burn (else to the treasury); bit 122 ban; other bits zero. A slash
    /// takes as `slash` does, but at most what the node holds; a ban makes it Rejected for good.
    function slashInBatch(bytes32 batchId, address[] calldata accounts, uint256[] calldata slashes) external;

    // ------------------------------------------------------------------ settlement records (RECORDER_ROLE)

    /// @notice Adds the task outcomes of a settle batch to its nodes' counters and stores their reputations.
    /// `counts[i]` holds `nodes[i]`'s completed tasks in bits 0..31 and its failed ones in bits 32..63.
    /// `reputations` is empty, or one 16-bit entry per node, sixteen to a word (entry i in bits
    /// 16(i % 16)..16(i % 16)+15 of word i / 16): zero leaves the reputation, `0x8000 | bps` (bps at most BPS)
    /// stores `bps`.
    function recordTaskResults(address[] calldata nodes, uint256[] calldata counts, uint256[] calldata reputations)
        external;

    // ------------------------------------------------------------------ proof of work

    /// @notice Opens a challenge for `node` with a seed derived from the previous block, so the node
    /// cannot choose it. Callable by the node itself or a CHALLENGER_ROLE holder; one open at a time.
    function issueChallenge(address node) external returns (bytes32 seed);

    /// @notice Answers the caller's open challenge: passes when `keccak256(seed, nonce) < target` before the
    /// deadline. A wrong nonce reverts (the node may try again); a late answer records a failure.
    /// @return passed True when the challenge was passed.
    function submitSolution(uint256 nonce) external returns (bool passed);

    /// @notice Records the failure of a node's challenge whose deadline has passed; anyone may call it.
    function expireChallenge(address node) external;

    // ------------------------------------------------------------------ Partner (trust level 4)

    /// @notice Commits the caller to an SLA of `uptimeBps` uptime, within [MIN_SLA_UPTIME_BPS,
    /// MAX_SLA_UPTIME_BPS]; zero withdraws the commitment.
    function commitSla(uint256 uptimeBps) external;

    /// @notice Adds `amount` tokens (approved to this contract) to the caller's insurance bond.
    function postBond(uint256 amount) external;

    /// @notice Moves `amount` of the bond into its withdrawal queue, withdrawable after the bond cooldown,
    /// which restarts for the whole queued amount. Queued bond can still be slashed.
    function requestBondWithdrawal(uint256 amount) external;

    /// @notice Sends the caller's queued bond back once its cooldown has passed.
    function withdrawBond() external;

    // ------------------------------------------------------------------ parameters (PARAMS_ROLE)

    /// @notice Sets how long queued stake waits before it can be withdrawn.
    function setUnstakeCooldown(uint256 value) external;

    /// @notice Sets how long a queued bond waits before it can be withdrawn.
    function setBondCooldown(uint256 value) external;

    /// @notice Sets the PoW target of new challenges (lower is harder).
    function setPowTarget(uint256 value) external;

    /// @notice Sets how long a node has to answer a challenge.
    function setPowWindow(uint256 value) external;

    /// @notice Sets where slashed stake goes when it is not burned.
    function setTreasury(address newTreasury) external;

    // ------------------------------------------------------------------ views

    /// @notice Seed 003's trust level: 0 none (or banned), 1 Basic (100 staked), 2 Verified (1,000 staked and
    /// 10 PoW passes), 3 Trusted (10,000 staked, 100 tasks completed at a 95% success rate, and level 2's
    /// passes), 4 Partner (Trusted, with an SLA commitment and an insurance bond of LEVEL4_BOND).
    function trustLevel(address node) external view returns (uint8);

    /// @notice The node's state as far as the chain knows it (see `NodeState`): None (not registered);
    /// Rejected (banned, for good; or MAX_POW_FAILURES_UNVERIFIED challenges failed and none passed, until it
    /// passes one); below the level-1 stake, Slashed (a slash left it there), Pending (never verified)
    /// or Inactive (it withdrew); at or above it, Pending (no PoW challenge passed yet), Verified (none of its
    /// tasks completed yet) or Earning.
    function nodeState(address node) external view returns (NodeState);

    /// @notice A node's record (all zero for an address that never registered).
    function getNode(address node) external view returns (Node memory);

    /// @notice A node's latest challenge (`open` until it is solved or failed).
    function getChallenge(address node) external view returns (Challenge memory);

    /// @notice A node's SLA commitment and insurance bond (all zero when it has neither).
    function getPartner(address node) external view returns (Partner memory);

    /// @notice The stake token.
    function token() external view returns (IERC20);

    /// @notice Where slashed stake goes when it is not burned.
    function treasury() external view returns (address);

    /// @notice How long queued stake waits before it can be withdrawn, in seconds.
    function unstakeCooldown() external view returns (uint256);

    /// @notice How long a queued bond waits before it can be withdrawn, in seconds.
    function bondCooldown() external view returns (uint256);

    /// @notice The PoW target of new challenges (lower is harder).
    function powTarget() external view returns (uint256);

    /// @notice How long a node has to answer a challenge, in seconds.
    function powWindow() external view returns (uint256);
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {INodeRegistry} from "./INodeRegistry.sol";

/// @title ITaskEscrow
/// @notice The market's ledger and escrow. Accounts deposit tokens into an internal balance; a poster locks
/// part of it per task; verified work is paid by `settle`, many tasks per transaction, by the task's fee scheme.
///
/// A task id carries its poster in its high 160 bits (`bytes32(bytes20(poster)) | localId`), so nobody can
/// take another poster's id. Escrow is kept in whole nano-tokens (`AMOUNT_UNIT`) and two tasks whose ids differ
/// only in their lowest bit share a storage slot (see `TaskLanes`).
interface ITaskEscrow {
    enum TaskStatus {
        None,
        Open,
        Frozen,
        Settled,
        Refunded
    }

    /// @notice A task as `getTask` shows it: what is still locked (in base units), when it may be refunded,
    /// how it is split. Stored packed, two tasks per slot (see `TaskLanes`).
    struct Task {
        uint96 locked;
        uint40 deadline;
        uint8 feeScheme;
        TaskStatus status;
    }

    /// @notice How a payment is split, in basis points summing to BPS.
    struct FeeScheme {
        uint16 workerBps;
        uint16 validatorBps;
        uint16 treasuryBps;
        uint16 burnBps;
    }

    /// @notice What a poster asks for when locking a task.
    struct TaskTerms {
        bytes32 taskId;
        uint96 amount;
        uint40 deadline;
        uint8 feeScheme;
    }

    /// @notice TaskTerms signed by the poster (EIP-712) for the operator to relay.
    struct TaskOrder {
        bytes32 taskId;
        uint96 amount;
        uint40 deadline;
        uint8 feeScheme;
        uint256 nonce;
        uint40 expiry;
    }

    /// @notice Releases an amount of a task's escrow to its workers and validators; `close` ends the task
    /// and returns what is left to the poster. A task may be settled in parts (one approved assignment at a
    /// time). Packed to keep calldata small (`SettlementCodec` reads it, `packages/chain/src/settlement.ts`
    /// writes it):
    /// - `terms`: bits 0..95 the amount in base units (a multiple of AMOUNT_UNIT), bit 96 close, bits
    ///   104..111 the number of worker shares, bits 112..119 the number of validator shares; others zero.
    /// - `shares`: the worker shares then the validator shares, 8 per word of 32 bits each, share k in bits
    ///   32k..32k+31 of its word: `(account << 16) | weight`, `account` indexing `Batch.accounts`. Unused
    ///   bits of the last word are zero. Weight 0 marks a worker whose results were rejected: unpaid,
    ///   counted as a failed task.
    struct TaskSettlement {
        bytes32 taskId;
        uint256 terms;
        uint256[] shares;
    }

    /// @notice Many settlements in one transaction. `batchId` makes it idempotent; `jobsRoot` is the Merkle
    /// root of the batch's job records, so each worker can prove what it was paid for. With them go the
    /// market's verdicts on the batch's accounts, for the node registry: `reputations` (empty, or one entry per
    /// account, packed as `INodeRegistry.recordTaskResults` reads them) and `slashes` (one packed word each, as
    /// `INodeRegistry.slashInBatch` reads them). Both empty cost next to nothing.
    struct Batch {
        bytes32 batchId;
        bytes32 jobsRoot;
        address[] accounts;
        TaskSettlement[] tasks;
        uint256[] reputations;
        uint256[] slashes;
    }

    /// @notice `from` moved `amount` tokens into `account`'s balance.
    event Deposited(address indexed account, address indexed from, uint256 amount);
    /// @notice `account` took `amount` of its balance back to its wallet.
    event Withdrawn(address indexed account, uint256 amount);
    /// @notice `poster` let `operator` lock up to `amount` of its balance in tasks.
    event OperatorApproved(address indexed poster, address indexed operator, uint256 amount);
    /// @notice A task locked `amount`. The poster is the high 160 bits of `taskId` (see `posterOf`).
    event TaskCreated(bytes32 indexed taskId, uint256 amount, uint256 deadline, uint8 feeScheme);
    /// @notice A task paid `paid` and returned `returned` to its poster. The batch is the one of the
    /// `BatchSettled` event of the same transaction.
    event TaskSettled(bytes32 indexed taskId, uint256 paid, uint256 returned);
    /// @notice A task's remaining escrow went back to its poster.
    event TaskRefunded(bytes32 indexed taskId, address indexed poster, uint256 amount);
    /// @notice A disputed task stopped.
    event TaskFrozen(bytes32 indexed taskId);
    /// @notice A frozen task reopened.
    event TaskUnfrozen(bytes32 indexed taskId);
    /// @notice A settle batch credited `amount` to `account` (one event per account and batch).
    event BalanceCredited(bytes32 indexed batchId, address indexed account, uint256 amount);
    /// @notice A settle batch paid `tasks` tasks, credited the treasury and burned its share.
    event BatchSettled(
        bytes32 indexed batchId, bytes32 jobsRoot, uint256 tasks, uint256 treasuryAmount, uint256 burned
    );
    /// @notice Fee scheme `id` was appended.
    event FeeSchemeAdded(uint8 indexed id, uint16 workerBps, uint16 validatorBps, uint16 treasuryBps, uint16 burnBps);
    /// @notice The account credited with the treasury's share changed.
    event TreasuryUpdated(address oldTreasury, address newTreasury);
    /// @notice The node registry that receives task outcomes changed.
    event RegistryUpdated(address oldRegistry, address newRegistry);

    error TaskEscrowZeroAmount();
    error TaskEscrowZeroAddress();
    error TaskEscrowInsufficientBalance(address account, uint256 balance, uint256 needed);
    error TaskEscrowInsufficientAllowance(address poster, address operator, uint256 allowance, uint256 needed);
    error TaskEscrowNotPoster(bytes32 taskId, address caller);
    error TaskEscrowTaskExists(bytes32 taskId);
    error TaskEscrowTaskNotOpen(bytes32 taskId, TaskStatus status);
    error TaskEscrowTaskNotFrozen(bytes32 taskId, TaskStatus status);
    /// @dev Not in the future, further than MAX_TASK_DURATION, or past what 32 bits hold.
    error TaskEscrowInvalidDeadline(uint256 deadline);
    error TaskEscrowUnknownFeeScheme(uint8 id);
    /// @dev Its basis points do not sum to BPS or one of them is out of its bounds.
    error TaskEscrowInvalidFeeScheme();
    error TaskEscrowTooManyFeeSchemes();
    error TaskEscrowOrderExpired(bytes32 taskId, uint256 expiry);
    error TaskEscrowNonceUsed(address poster, uint256 nonce);
    error TaskEscrowInvalidSignature(bytes32 taskId);
    error TaskEscrowLengthMismatch();
    error TaskEscrowRefundNotAllowed(bytes32 taskId, address caller);
    error TaskEscrowBatchAlreadySettled(bytes32 batchId);
    error TaskEscrowEmptyRoot();
    /// @dev More than MAX_BATCH_TASKS tasks, MAX_BATCH_ACCOUNTS accounts or MAX_SHARES shares of a kind.
    error TaskEscrowBatchTooLarge();
    error TaskEscrowInvalidAccountIndex(uint256 index);
    error TaskEscrowAmountExceedsLocked(bytes32 taskId, uint256 amount, uint256 locked);
    /// @dev A settlement pays workers but every worker share has weight 0.
    error TaskEscrowNoAcceptedWork(bytes32 taskId);
    error TaskEscrowAmountNotAligned(uint256 amount);
    /// @dev A settlement's terms set unknown bits, or its shares are not exactly the words its counts need.
    error TaskEscrowMalformedSettlement(bytes32 taskId);
    /// @dev A settle batch carries slashes but no node registry is set to apply them.
    error TaskEscrowNoRegistry();

    // ------------------------------------------------------------------ ledger

    /// @notice Moves `amount` tokens from the caller (who approved this contract) into their balance.
    function deposit(uint256 amount) external;

    /// @notice Moves `amount` tokens from the caller into `account`'s balance.
    function depositFor(address account, uint256 amount) external;

    /// @notice Deposits with an EIP-2612 permit instead of a prior approval. A permit already used (e.g.
    /// front-run) is ignored, and the transfer then needs an allowance as usual.
    function depositWithPermit(uint256 amount, uint256 permitDeadline, uint8 v, bytes32 r, bytes32 s) external;

    /// @notice Sends `amount` of the caller's balance back to their wallet.
    function withdraw(uint256 amount) external;

    /// @notice Lets `operator` lock up to `amount` of the caller's balance in tasks (API-key clients);
    /// `type(uint256).max` is never spent down.
    function approveOperator(address operator, uint256 amount) external;

    // ------------------------------------------------------------------ tasks

    /// @notice Locks `terms.amount` (a multiple of AMOUNT_UNIT) of the caller's balance for a task whose id
    /// carries the caller.
    function createTask(TaskTerms calldata terms) external;

    /// @notice Creates tasks from orders their posters signed (EIP-712, see `hashTaskOrder`); OPERATOR_ROLE.
    /// All or nothing.
    function createTasksFor(TaskOrder[] calldata orders, bytes[] calldata signatures) external;

    /// @notice Creates tasks within the allowances their posters granted the caller; OPERATOR_ROLE. All or
    /// nothing.
    function createTasksFromAllowance(TaskTerms[] calldata terms) external;

    /// @notice Pays a batch of tasks (OPERATOR_ROLE): per task, the worker pool by weight, validators,
    /// treasury and burn by the task's fee scheme; rounding dust goes to the treasury. Records the job
    /// records' root and, once per batch, the workers' completed and failed counts and the batch's reputations
    /// in the registry (`recordTaskResults`), and applies its slashes (`slashInBatch`, one call; refused
    /// without a registry). A revert of the registry's reverts the whole batch.
    function settle(Batch calldata batch) external;

    /// @notice Returns a task's remaining escrow to its poster. The operator may refund an open task at any
    /// time; anyone may after its deadline; a frozen task only by DISPUTE_ROLE, or by anyone once its
    /// deadline plus FROZEN_GRACE has passed, so no escrow is stuck if the operator disappears.
    function refund(bytes32 taskId) external;

    /// @notice Stops a disputed task from being settled or refunded by the operator; DISPUTE_ROLE.
    function freeze(bytes32 taskId) external;

    /// @notice Reopens a frozen task once its dispute is resolved; DISPUTE_ROLE.
    function unfreeze(bytes32 taskId) external;

    // ------------------------------------------------------------------ parameters (PARAMS_ROLE)

    /// @notice Appends a fee scheme; existing schemes never change, so a task's terms are fixed for life.
    /// @return id The new scheme's id.
    function addFeeScheme(FeeScheme calldata scheme) external returns (uint8 id);

    /// @notice Sets the account credited with the treasury's share.
    function setTreasury(address newTreasury) external;

    /// @notice Sets the node registry that receives task outcomes (zero to stop recording).
    function setRegistry(INodeRegistry newRegistry) external;

    // ------------------------------------------------------------------ views

    /// @notice The poster a task id belongs to: its high 160 bits.
    function posterOf(bytes32 taskId) external pure returns (address);

    /// @notice EIP-712 digest a poster signs for `order`.
    function hashTaskOrder(TaskOrder calldata order) external view returns (bytes32);

    /// @notice Whether `poster` has used order nonce `nonce` (nonces are used in any order, once each).
    function isNonceUsed(address poster, uint256 nonce) external view returns (bool);

    /// @notice Leaf of a job record in a batch's Merkle tree (OpenZeppelin StandardMerkleTree encoding).
    function jobRecordLeaf(bytes32 taskId, bytes32 jobId, address worker, bytes32 resultHash, uint8 verdict)
        external
        pure
        returns (bytes32);

    /// @notice True when `leaf` is in the job records of batch `batchId`.
    function verifyJobRecord(bytes32 batchId, bytes32 leaf, bytes32[] calldata proof) external view returns (bool);

    /// @notice The Merkle root of batch `batchId`'s job records (zero until it is settled).
    function batchRoot(bytes32 batchId) external view returns (bytes32);

    /// @notice A task's escrow, deadline, fee scheme and status (all zero for an unknown id).
    function getTask(bytes32 taskId) external view returns (Task memory);

    /// @notice The ledger's token.
    function token() external view returns (IERC20);

    /// @notice `account`'s balance in the ledger, free to withdraw or lock.
    function balanceOf(address account) external view returns (uint256);

    /// @notice How much of `poster`'s balance `operator` may still lock in tasks.
    function operatorAllowance(address poster, address operator) external view returns (uint256);

    /// @notice The account credited with the treasury's share.
    function treasury() external view returns (address);

    /// @notice The node registry that receives task outcomes (zero when none).
    function registry() external view returns (INodeRegistry);

    /// @notice Fee scheme `id`; reverts for an unknown id.
    function feeScheme(uint8 id) external view returns (FeeScheme memory);

    /// @notice How many fee schemes there are (ids 0 to count - 1).
    function feeSchemeCount() external view returns (uint256);
}

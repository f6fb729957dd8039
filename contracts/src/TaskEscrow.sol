// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {INodeRegistry} from "./INodeRegistry.sol";

/// @title TaskEscrow
/// @notice The market's ledger. Accounts deposit tokens into an internal balance; a poster locks part of it
/// per task; verified work is paid by `settle`, many tasks per transaction, by the task's fee scheme.
///
/// A task id carries its poster in its high 160 bits (`bytes32(bytes20(poster)) | localId`), so nobody can
/// take another poster's id. Two tasks share a storage slot (ids that differ only in their lowest bit, hence
/// of the same poster): escrow is kept in whole nano-tokens (`AMOUNT_UNIT`), so a task fits 112 bits and
/// creating or settling a poster's consecutive tasks together writes one slot for two.
contract TaskEscrow is AccessControl, EIP712, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Role that relays orders, creates tasks from allowances, settles and refunds.
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    /// @notice Role that freezes and unfreezes disputed tasks (later the dispute court).
    bytes32 public constant DISPUTE_ROLE = keccak256("DISPUTE_ROLE");
    /// @notice Role that adds fee schemes and sets the treasury and registry (later the timelock).
    bytes32 public constant PARAMS_ROLE = keccak256("PARAMS_ROLE");

    uint256 public constant BPS = 10_000;
    uint256 public constant MIN_WORKER_BPS = 2_500;
    uint256 public constant MAX_VALIDATOR_BPS = 3_000;
    uint256 public constant MAX_TREASURY_BPS = 1_000;
    uint256 public constant MAX_BURN_BPS = 6_000;
    uint256 public constant MAX_FEE_SCHEMES = 64;
    /// @notice Longest a task may stay open.
    uint256 public constant MAX_TASK_DURATION = 365 days;
    /// @notice After its deadline plus this, anyone may refund even a frozen task.
    uint256 public constant FROZEN_GRACE = 30 days;
    uint256 public constant MAX_BATCH_TASKS = 512;
    uint256 public constant MAX_BATCH_ACCOUNTS = 1_024;
    uint256 public constant MAX_SHARES = 64;
    /// @notice Escrowed amounts are whole multiples of this many base units (a nano-token).
    uint256 public constant AMOUNT_UNIT = 1e9;

    // Layout of a task's 112-bit lane in its pair's slot (see `_taskPairs`): bits 0..63 locked units of
    // AMOUNT_UNIT, 64..95 deadline, 96..103 fee scheme, 104..111 status. Lane 1 starts at bit 1 << 7 = 128.
    uint256 private constant LANE_SHIFT_BITS = 7;
    uint256 private constant LANE_MASK = (1 << 112) - 1;
    uint256 private constant UNITS_MASK = type(uint64).max;
    uint256 private constant DEADLINE_SHIFT = 64;
    uint256 private constant SCHEME_SHIFT = 96;
    uint256 private constant STATUS_SHIFT = 104;

    // Layout of `TaskSettlement.terms`.
    uint256 private constant TERMS_AMOUNT_MASK = type(uint96).max;
    uint256 private constant TERMS_CLOSE = 1 << 96;
    uint256 private constant TERMS_WORKERS_SHIFT = 104;
    uint256 private constant TERMS_VALIDATORS_SHIFT = 112;
    uint256 private constant TERMS_KNOWN_BITS = TERMS_AMOUNT_MASK | TERMS_CLOSE | (0xffff << TERMS_WORKERS_SHIFT);

    bytes32 private constant TASK_ORDER_TYPEHASH = keccak256(
        "TaskOrder(bytes32 taskId,uint96 amount,uint40 deadline,uint8 feeScheme,uint256 nonce,uint40 expiry)"
    );

    enum TaskStatus {
        None,
        Open,
        Frozen,
        Settled,
        Refunded
    }

    /// @notice A task as `getTask` shows it: what is still locked (in base units), when it may be refunded,
    /// how it is split. Stored packed, two tasks per slot (see `_taskPairs`).
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
    /// time). Packed to keep calldata small (`packages/chain/src/settlement.ts` encodes it):
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
    /// root of the batch's job records, so each worker can prove what it was paid for.
    struct Batch {
        bytes32 batchId;
        bytes32 jobsRoot;
        address[] accounts;
        TaskSettlement[] tasks;
    }

    /// @dev What a settle batch adds up in memory, so storage is written once per account and per batch.
    struct Accumulators {
        uint256[] credits;
        uint32[] completed;
        uint32[] failed;
        uint256[] feeSchemes; // by id: 0 until read, then bit 255 | burnBps << 32 | validatorBps << 16 | workerBps
        uint256 toTreasury;
        uint256 toBurn;
    }

    IERC20 private immutable _token;
    address private _treasury;
    INodeRegistry private _registry;
    FeeScheme[] private _feeSchemes;

    mapping(address account => uint256) private _balances;
    /// @dev Two tasks per slot, keyed by `taskId >> 1`, task `taskId` in lane `taskId & 1` (see `_loadTask`).
    mapping(uint256 pairKey => uint256 lanes) private _taskPairs;
    mapping(address poster => mapping(address operator => uint256)) private _operatorAllowances;
    mapping(address poster => mapping(uint256 word => uint256 bits)) private _nonceBitmaps;
    mapping(bytes32 batchId => bytes32 jobsRoot) private _batchRoots;

    event Deposited(address indexed account, address indexed from, uint256 amount);
    event Withdrawn(address indexed account, uint256 amount);
    event OperatorApproved(address indexed poster, address indexed operator, uint256 amount);
    /// @dev The poster is the high 160 bits of `taskId` (see `posterOf`).
    event TaskCreated(bytes32 indexed taskId, uint256 amount, uint256 deadline, uint8 feeScheme);
    /// @dev The batch is the one of the `BatchSettled` event of the same transaction.
    event TaskSettled(bytes32 indexed taskId, uint256 paid, uint256 returned);
    event TaskRefunded(bytes32 indexed taskId, address indexed poster, uint256 amount);
    event TaskFrozen(bytes32 indexed taskId);
    event TaskUnfrozen(bytes32 indexed taskId);
    event BalanceCredited(bytes32 indexed batchId, address indexed account, uint256 amount);
    event BatchSettled(bytes32 indexed batchId, bytes32 jobsRoot, uint256 tasks, uint256 treasuryAmount, uint256 burned);
    event FeeSchemeAdded(uint8 indexed id, uint16 workerBps, uint16 validatorBps, uint16 treasuryBps, uint16 burnBps);
    event TreasuryUpdated(address oldTreasury, address newTreasury);
    event RegistryUpdated(address oldRegistry, address newRegistry);

    error TaskEscrowZeroAmount();
    error TaskEscrowZeroAddress();
    error TaskEscrowInsufficientBalance(address account, uint256 balance, uint256 needed);
    error TaskEscrowInsufficientAllowance(address poster, address operator, uint256 allowance, uint256 needed);
    error TaskEscrowNotPoster(bytes32 taskId, address caller);
    error TaskEscrowTaskExists(bytes32 taskId);
    error TaskEscrowTaskNotOpen(bytes32 taskId, TaskStatus status);
    error TaskEscrowTaskNotFrozen(bytes32 taskId, TaskStatus status);
    error TaskEscrowInvalidDeadline(uint256 deadline);
    error TaskEscrowUnknownFeeScheme(uint8 id);
    error TaskEscrowInvalidFeeScheme();
    error TaskEscrowTooManyFeeSchemes();
    error TaskEscrowOrderExpired(bytes32 taskId, uint256 expiry);
    error TaskEscrowNonceUsed(address poster, uint256 nonce);
    error TaskEscrowInvalidSignature(bytes32 taskId);
    error TaskEscrowLengthMismatch();
    error TaskEscrowRefundNotAllowed(bytes32 taskId, address caller);
    error TaskEscrowBatchAlreadySettled(bytes32 batchId);
    error TaskEscrowEmptyRoot();
    error TaskEscrowBatchTooLarge();
    error TaskEscrowInvalidAccountIndex(uint256 index);
    error TaskEscrowAmountExceedsLocked(bytes32 taskId, uint256 amount, uint256 locked);
    error TaskEscrowNoAcceptedWork(bytes32 taskId);
    error TaskEscrowAmountNotAligned(uint256 amount);
    error TaskEscrowMalformedSettlement(bytes32 taskId);

    /// @param token_ The ledger's token (must be burnable for fee schemes that burn).
    /// @param admin Receives DEFAULT_ADMIN_ROLE and PARAMS_ROLE.
    /// @param treasury_ Account credited with the treasury's share.
    constructor(IERC20 token_, address admin, address treasury_) EIP712("TaskEscrow", "1") {
        if (address(token_) == address(0) || admin == address(0) || treasury_ == address(0)) {
            revert TaskEscrowZeroAddress();
        }
        _token = token_;
        _treasury = treasury_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PARAMS_ROLE, admin);
        _addFeeScheme(FeeScheme(9_200, 0, 800, 0)); // 0: compute and human work (seed 003)
        _addFeeScheme(FeeScheme(7_000, 2_500, 0, 500)); // 1: judged inference (seed 004)
        _addFeeScheme(FeeScheme(2_500, 1_000, 500, 6_000)); // 2: seed 001's preset
    }

    // ------------------------------------------------------------------ ledger

    /// @notice Moves `amount` tokens from the caller (who approved this contract) into their balance.
    function deposit(uint256 amount) external nonReentrant {
        _deposit(msg.sender, msg.sender, amount);
    }

    /// @notice Moves `amount` tokens from the caller into `account`'s balance.
    function depositFor(address account, uint256 amount) external nonReentrant {
        if (account == address(0)) revert TaskEscrowZeroAddress();
        _deposit(account, msg.sender, amount);
    }

    /// @notice Deposits with an EIP-2612 permit instead of a prior approval. A permit already used (e.g.
    /// front-run) is ignored, and the transfer then needs an allowance as usual.
    function depositWithPermit(uint256 amount, uint256 permitDeadline, uint8 v, bytes32 r, bytes32 s)
        external
        nonReentrant
    {
        try IERC20Permit(address(_token)).permit(msg.sender, address(this), amount, permitDeadline, v, r, s) {} catch {}
        _deposit(msg.sender, msg.sender, amount);
    }

    /// @notice Sends `amount` of the caller's balance back to their wallet.
    function withdraw(uint256 amount) external nonReentrant {
        if (amount == 0) revert TaskEscrowZeroAmount();
        uint256 balance = _balances[msg.sender];
        if (balance < amount) revert TaskEscrowInsufficientBalance(msg.sender, balance, amount);
        _balances[msg.sender] = balance - amount;
        emit Withdrawn(msg.sender, amount);
        _token.safeTransfer(msg.sender, amount);
    }

    /// @notice Lets `operator` lock up to `amount` of the caller's balance in tasks (API-key clients).
    function approveOperator(address operator, uint256 amount) external {
        if (operator == address(0)) revert TaskEscrowZeroAddress();
        _operatorAllowances[msg.sender][operator] = amount;
        emit OperatorApproved(msg.sender, operator, amount);
    }

    // ------------------------------------------------------------------ creating tasks

    /// @notice Locks `terms.amount` (a multiple of AMOUNT_UNIT) of the caller's balance for a task whose id
    /// carries the caller.
    function createTask(TaskTerms calldata terms) external {
        address poster = posterOf(terms.taskId);
        if (poster != msg.sender) revert TaskEscrowNotPoster(terms.taskId, msg.sender);
        _createTask(poster, terms.taskId, terms.amount, terms.deadline, terms.feeScheme);
    }

    /// @notice Creates tasks from orders their posters signed (EIP-712). All or nothing.
    function createTasksFor(TaskOrder[] calldata orders, bytes[] calldata signatures)
        external
        onlyRole(OPERATOR_ROLE)
    {
        if (orders.length != signatures.length) revert TaskEscrowLengthMismatch();
        if (orders.length > MAX_BATCH_TASKS) revert TaskEscrowBatchTooLarge();
        for (uint256 i = 0; i < orders.length; ++i) {
            TaskOrder calldata order = orders[i];
            address poster = posterOf(order.taskId);
            if (block.timestamp > order.expiry) revert TaskEscrowOrderExpired(order.taskId, order.expiry);
            _useNonce(poster, order.nonce);
            if (!SignatureChecker.isValidSignatureNow(poster, hashTaskOrder(order), signatures[i])) {
                revert TaskEscrowInvalidSignature(order.taskId);
            }
            _createTask(poster, order.taskId, order.amount, order.deadline, order.feeScheme);
        }
    }

    /// @notice Creates tasks within the allowances their posters granted the caller. All or nothing.
    function createTasksFromAllowance(TaskTerms[] calldata terms) external onlyRole(OPERATOR_ROLE) {
        if (terms.length > MAX_BATCH_TASKS) revert TaskEscrowBatchTooLarge();
        for (uint256 i = 0; i < terms.length; ++i) {
            TaskTerms calldata t = terms[i];
            address poster = posterOf(t.taskId);
            uint256 allowance = _operatorAllowances[poster][msg.sender];
            if (allowance != type(uint256).max) {
                if (allowance < t.amount) {
                    revert TaskEscrowInsufficientAllowance(poster, msg.sender, allowance, t.amount);
                }
                _operatorAllowances[poster][msg.sender] = allowance - t.amount;
            }
            _createTask(poster, t.taskId, t.amount, t.deadline, t.feeScheme);
        }
    }

    // ------------------------------------------------------------------ settling

    /// @notice Pays a batch of tasks: per task, the worker pool by weight, validators, treasury and burn by
    /// the task's fee scheme; rounding dust goes to the treasury. Records the job records' root and, once per
    /// batch, the workers' completed and failed counts in the registry.
    function settle(Batch calldata batch) external onlyRole(OPERATOR_ROLE) nonReentrant {
        if (batch.jobsRoot == bytes32(0)) revert TaskEscrowEmptyRoot();
        if (_batchRoots[batch.batchId] != bytes32(0)) revert TaskEscrowBatchAlreadySettled(batch.batchId);
        if (batch.tasks.length > MAX_BATCH_TASKS || batch.accounts.length > MAX_BATCH_ACCOUNTS) {
            revert TaskEscrowBatchTooLarge();
        }
        _batchRoots[batch.batchId] = batch.jobsRoot;

        uint256 n = batch.accounts.length;
        Accumulators memory acc = Accumulators(
            new uint256[](n), new uint32[](n), new uint32[](n), new uint256[](_feeSchemes.length), 0, 0
        );
        for (uint256 i = 0; i < batch.tasks.length; ++i) {
            _settleTask(batch.tasks[i], acc);
        }

        bool anyCount;
        for (uint256 i = 0; i < n; ++i) {
            if (acc.completed[i] != 0 || acc.failed[i] != 0) anyCount = true;
            uint256 credit = acc.credits[i];
            if (credit == 0) continue;
            address account = batch.accounts[i];
            if (account == address(0)) revert TaskEscrowZeroAddress();
            _balances[account] += credit;
            emit BalanceCredited(batch.batchId, account, credit);
        }
        if (acc.toTreasury != 0) _balances[_treasury] += acc.toTreasury;
        emit BatchSettled(batch.batchId, batch.jobsRoot, batch.tasks.length, acc.toTreasury, acc.toBurn);
        if (acc.toBurn != 0) ERC20Burnable(address(_token)).burn(acc.toBurn);
        if (anyCount && address(_registry) != address(0)) {
            _registry.recordTaskResults(batch.accounts, acc.completed, acc.failed);
        }
    }

    /// @notice Returns a task's remaining escrow to its poster. The operator may refund an open task at any
    /// time; anyone may after its deadline; a frozen task only by DISPUTE_ROLE, or by anyone once its
    /// deadline plus FROZEN_GRACE has passed, so no escrow is stuck if the operator disappears.
    function refund(bytes32 taskId) external nonReentrant {
        (uint256 key, uint256 shift, uint256 word, uint256 lane) = _loadTask(taskId);
        TaskStatus status = _statusOf(lane);
        uint256 deadline = _deadlineOf(lane);
        bool allowed;
        if (status == TaskStatus.Open) {
            allowed = hasRole(OPERATOR_ROLE, msg.sender) || block.timestamp > deadline;
        } else if (status == TaskStatus.Frozen) {
            allowed = hasRole(DISPUTE_ROLE, msg.sender) || block.timestamp > deadline + FROZEN_GRACE;
        } else {
            revert TaskEscrowTaskNotOpen(taskId, status);
        }
        if (!allowed) revert TaskEscrowRefundNotAllowed(taskId, msg.sender);
        uint256 amount = _lockedOf(lane);
        address poster = posterOf(taskId);
        _storeTask(key, shift, word, _withStatus(_withLocked(lane, 0), TaskStatus.Refunded));
        _balances[poster] += amount;
        emit TaskRefunded(taskId, poster, amount);
    }

    /// @notice Stops a disputed task from being settled or refunded by the operator.
    function freeze(bytes32 taskId) external onlyRole(DISPUTE_ROLE) {
        (uint256 key, uint256 shift, uint256 word, uint256 lane) = _loadTask(taskId);
        TaskStatus status = _statusOf(lane);
        if (status != TaskStatus.Open) revert TaskEscrowTaskNotOpen(taskId, status);
        _storeTask(key, shift, word, _withStatus(lane, TaskStatus.Frozen));
        emit TaskFrozen(taskId);
    }

    /// @notice Reopens a frozen task once its dispute is resolved.
    function unfreeze(bytes32 taskId) external onlyRole(DISPUTE_ROLE) {
        (uint256 key, uint256 shift, uint256 word, uint256 lane) = _loadTask(taskId);
        TaskStatus status = _statusOf(lane);
        if (status != TaskStatus.Frozen) revert TaskEscrowTaskNotFrozen(taskId, status);
        _storeTask(key, shift, word, _withStatus(lane, TaskStatus.Open));
        emit TaskUnfrozen(taskId);
    }

    // ------------------------------------------------------------------ parameters

    /// @notice Appends a fee scheme; existing schemes never change, so a task's terms are fixed for life.
    function addFeeScheme(FeeScheme calldata scheme) external onlyRole(PARAMS_ROLE) returns (uint8 id) {
        return _addFeeScheme(scheme);
    }

    /// @notice Sets the account credited with the treasury's share.
    function setTreasury(address newTreasury) external onlyRole(PARAMS_ROLE) {
        if (newTreasury == address(0)) revert TaskEscrowZeroAddress();
        address old = _treasury;
        _treasury = newTreasury;
        emit TreasuryUpdated(old, newTreasury);
    }

    /// @notice Sets the node registry that receives task outcomes (zero to stop recording).
    function setRegistry(INodeRegistry newRegistry) external onlyRole(PARAMS_ROLE) {
        address old = address(_registry);
        _registry = newRegistry;
        emit RegistryUpdated(old, address(newRegistry));
    }

    // ------------------------------------------------------------------ views

    /// @notice The poster a task id belongs to: its high 160 bits.
    function posterOf(bytes32 taskId) public pure returns (address) {
        return address(bytes20(taskId));
    }

    /// @notice EIP-712 digest a poster signs for `order`.
    function hashTaskOrder(TaskOrder calldata order) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    TASK_ORDER_TYPEHASH,
                    order.taskId,
                    order.amount,
                    order.deadline,
                    order.feeScheme,
                    order.nonce,
                    order.expiry
                )
            )
        );
    }

    /// @notice Leaf of a job record in a batch's Merkle tree (OpenZeppelin StandardMerkleTree encoding).
    function jobRecordLeaf(bytes32 taskId, bytes32 jobId, address worker, bytes32 resultHash, uint8 verdict)
        public
        pure
        returns (bytes32)
    {
        return keccak256(bytes.concat(keccak256(abi.encode(taskId, jobId, worker, resultHash, verdict))));
    }

    /// @notice True when `leaf` is in the job records of batch `batchId`.
    function verifyJobRecord(bytes32 batchId, bytes32 leaf, bytes32[] calldata proof) external view returns (bool) {
        bytes32 root = _batchRoots[batchId];
        return root != bytes32(0) && MerkleProof.verifyCalldata(proof, root, leaf);
    }

    function token() external view returns (IERC20) {
        return _token;
    }

    function treasury() external view returns (address) {
        return _treasury;
    }

    function registry() external view returns (INodeRegistry) {
        return _registry;
    }

    function balanceOf(address account) external view returns (uint256) {
        return _balances[account];
    }

    /// @notice A task's escrow, deadline, fee scheme and status (all zero for an unknown id).
    function getTask(bytes32 taskId) external view returns (Task memory) {
        (,,, uint256 lane) = _loadTask(taskId);
        return Task(uint96(_lockedOf(lane)), uint40(_deadlineOf(lane)), uint8(_feeSchemeOf(lane)), _statusOf(lane));
    }

    function feeScheme(uint8 id) external view returns (FeeScheme memory) {
        if (id >= _feeSchemes.length) revert TaskEscrowUnknownFeeScheme(id);
        return _feeSchemes[id];
    }

    function feeSchemeCount() external view returns (uint256) {
        return _feeSchemes.length;
    }

    function operatorAllowance(address poster, address operator) external view returns (uint256) {
        return _operatorAllowances[poster][operator];
    }

    function isNonceUsed(address poster, uint256 nonce) external view returns (bool) {
        return _nonceBitmaps[poster][nonce >> 8] & (1 << (nonce & 0xff)) != 0;
    }

    function batchRoot(bytes32 batchId) external view returns (bytes32) {
        return _batchRoots[batchId];
    }

    // ------------------------------------------------------------------ internals

    function _deposit(address account, address from, uint256 amount) private {
        if (amount == 0) revert TaskEscrowZeroAmount();
        _balances[account] += amount;
        emit Deposited(account, from, amount);
        _token.safeTransferFrom(from, address(this), amount);
    }

    function _createTask(address poster, bytes32 taskId, uint256 amount, uint256 deadline, uint8 scheme) private {
        if (amount == 0) revert TaskEscrowZeroAmount();
        if (amount % AMOUNT_UNIT != 0) revert TaskEscrowAmountNotAligned(amount);
        // A packed task keeps its deadline in 32 bits (until 2106).
        if (
            deadline <= block.timestamp || deadline > block.timestamp + MAX_TASK_DURATION
                || deadline > type(uint32).max
        ) revert TaskEscrowInvalidDeadline(deadline);
        if (scheme >= _feeSchemes.length) revert TaskEscrowUnknownFeeScheme(scheme);
        (uint256 key, uint256 shift, uint256 word, uint256 lane) = _loadTask(taskId);
        if (lane != 0) revert TaskEscrowTaskExists(taskId);
        uint256 balance = _balances[poster];
        if (balance < amount) revert TaskEscrowInsufficientBalance(poster, balance, amount);
        _balances[poster] = balance - amount;
        _storeTask(key, shift, word, _packTask(SafeCast.toUint64(amount / AMOUNT_UNIT), deadline, scheme));
        emit TaskCreated(taskId, amount, deadline, scheme);
    }

    function _useNonce(address poster, uint256 nonce) private {
        uint256 bit = 1 << (nonce & 0xff);
        uint256 bits = _nonceBitmaps[poster][nonce >> 8];
        if (bits & bit != 0) revert TaskEscrowNonceUsed(poster, nonce);
        _nonceBitmaps[poster][nonce >> 8] = bits | bit;
    }

    /// @dev Pays one task into the batch's memory accumulators and updates its escrow.
    function _settleTask(TaskSettlement calldata s, Accumulators memory acc) private {
        bytes32 taskId = s.taskId;
        uint256 terms = s.terms;
        uint256[] calldata shares = s.shares;
        uint256 workerCount = (terms >> TERMS_WORKERS_SHIFT) & 0xff;
        uint256 validatorCount = (terms >> TERMS_VALIDATORS_SHIFT) & 0xff;
        _checkEncoding(taskId, terms, shares, workerCount + validatorCount);
        if (workerCount > MAX_SHARES || validatorCount > MAX_SHARES) revert TaskEscrowBatchTooLarge();
        uint256 amount = terms & TERMS_AMOUNT_MASK;
        if (amount % AMOUNT_UNIT != 0) revert TaskEscrowAmountNotAligned(amount);

        (uint256 key, uint256 shift, uint256 word, uint256 lane) = _loadTask(taskId);
        TaskStatus status = _statusOf(lane);
        if (status != TaskStatus.Open) revert TaskEscrowTaskNotOpen(taskId, status);
        uint256 locked = _lockedOf(lane);
        if (amount > locked) revert TaskEscrowAmountExceedsLocked(taskId, amount, locked);

        (uint256 workerBps, uint256 validatorBps, uint256 burnBps) =
            _cachedFeeScheme(acc.feeSchemes, _feeSchemeOf(lane));
        uint256 workerPool;
        uint256 validatorPool;
        uint256 toBurn;
        unchecked {
            // amount < 2^96 and every bps <= BPS: no product overflows.
            workerPool = (amount * workerBps) / BPS;
            validatorPool = (amount * validatorBps) / BPS;
            toBurn = (amount * burnBps) / BPS;
        }
        // Without validators their share goes to the workers who did the work.
        if (validatorCount == 0) {
            workerPool += validatorPool;
            validatorPool = 0;
        }
        (uint256 paid, uint256 workerWeight) = _distribute(shares, 0, workerCount, workerPool, acc, true);
        if (workerPool != 0 && workerWeight == 0) revert TaskEscrowNoAcceptedWork(taskId);
        (uint256 paidToValidators,) = _distribute(shares, workerCount, validatorCount, validatorPool, acc, false);
        paid += paidToValidators;
        acc.toTreasury += amount - paid - toBurn;
        acc.toBurn += toBurn;

        uint256 returned;
        if (terms & TERMS_CLOSE != 0) {
            returned = locked - amount;
            _storeTask(key, shift, word, _withStatus(_withLocked(lane, 0), TaskStatus.Settled));
            if (returned != 0) _balances[posterOf(taskId)] += returned;
        } else {
            _storeTask(key, shift, word, _withLocked(lane, locked - amount));
        }
        emit TaskSettled(taskId, amount, returned);
    }

    /// @dev Refuses a settlement whose terms set unknown bits, or whose shares are not exactly the words the
    /// counts need with the unused bits zero, so that every settlement has one encoding.
    function _checkEncoding(bytes32 taskId, uint256 terms, uint256[] calldata shares, uint256 count) private pure {
        // count < 512: no overflow.
        if (terms & ~TERMS_KNOWN_BITS != 0 || shares.length != (count + 7) >> 3) {
            revert TaskEscrowMalformedSettlement(taskId);
        }
        uint256 used = count & 7;
        if (used != 0 && shares[shares.length - 1] >> (used << 5) != 0) revert TaskEscrowMalformedSettlement(taskId);
    }

    /// @dev Splits `pool` by weight among shares `from` to `from + count - 1` into `acc.credits`; counts the
    /// workers' outcomes when `workers`. Returns what it paid and the total weight.
    function _distribute(
        uint256[] calldata shares,
        uint256 from,
        uint256 count,
        uint256 pool,
        Accumulators memory acc,
        bool workers
    ) private pure returns (uint256 paid, uint256 totalWeight) {
        uint256[] memory credits = acc.credits;
        uint32[] memory completed = acc.completed;
        uint32[] memory failed = acc.failed;
        uint256 n = credits.length;
        // Bounded: at most 2 * MAX_SHARES shares of weight < 2^16 per task, MAX_BATCH_TASKS tasks per batch,
        // pool <= amount < 2^96. Indexes are checked against n before any memory access.
        unchecked {
            uint256 end = from + count;
            for (uint256 k = from; k < end; ++k) {
                (uint256 index, uint256 weight) = _share(shares, k);
                if (index >= n) revert TaskEscrowInvalidAccountIndex(index);
                totalWeight += weight;
                if (!workers) continue;
                if (weight == 0) ++failed[index];
                else ++completed[index];
            }
            if (totalWeight == 0 || pool == 0) return (0, totalWeight);
            for (uint256 k = from; k < end; ++k) {
                (uint256 index, uint256 weight) = _share(shares, k);
                uint256 amount = (pool * weight) / totalWeight;
                credits[index] += amount;
                paid += amount;
            }
        }
    }

    /// @dev Share `k` of a settlement: 32 bits, eight to a word, lowest first.
    function _share(uint256[] calldata shares, uint256 k) private pure returns (uint256 index, uint256 weight) {
        uint256 share = shares[k >> 3] >> ((k & 7) << 5);
        return ((share >> 16) & 0xffff, share & 0xffff);
    }

    /// @dev A fee scheme's worker, validator and burn basis points, read from storage once per batch.
    function _cachedFeeScheme(uint256[] memory cache, uint256 id)
        private
        view
        returns (uint256 workerBps, uint256 validatorBps, uint256 burnBps)
    {
        uint256 packed = cache[id];
        if (packed == 0) {
            FeeScheme storage f = _feeSchemes[id];
            packed = (1 << 255) | f.workerBps | (uint256(f.validatorBps) << 16) | (uint256(f.burnBps) << 32);
            cache[id] = packed;
        }
        return (packed & 0xffff, (packed >> 16) & 0xffff, (packed >> 32) & 0xffff);
    }

    // ------------------------------------------------------------------ packed task storage

    /// @dev Where task `taskId` lives: its pair's slot key, its lane's bit offset, the slot and the lane.
    function _loadTask(bytes32 taskId)
        private
        view
        returns (uint256 key, uint256 shift, uint256 word, uint256 lane)
    {
        key = uint256(taskId) >> 1;
        shift = (uint256(taskId) & 1) << LANE_SHIFT_BITS;
        word = _taskPairs[key];
        lane = (word >> shift) & LANE_MASK;
    }

    /// @dev Writes `lane` into its pair's slot `word`, leaving the other task's lane as it was.
    function _storeTask(uint256 key, uint256 shift, uint256 word, uint256 lane) private {
        _taskPairs[key] = (word & ~(LANE_MASK << shift)) | (lane << shift);
    }

    /// @dev A new open task's lane. A lane is zero exactly when no task has that id (status None).
    function _packTask(uint64 units, uint256 deadline, uint8 scheme) private pure returns (uint256) {
        return units | (deadline << DEADLINE_SHIFT) | (uint256(scheme) << SCHEME_SHIFT)
            | (uint256(TaskStatus.Open) << STATUS_SHIFT);
    }

    function _lockedOf(uint256 lane) private pure returns (uint256) {
        unchecked {
            return (lane & UNITS_MASK) * AMOUNT_UNIT; // < 2^64 * 1e9 < 2^94
        }
    }

    function _deadlineOf(uint256 lane) private pure returns (uint256) {
        return (lane >> DEADLINE_SHIFT) & type(uint32).max;
    }

    function _feeSchemeOf(uint256 lane) private pure returns (uint256) {
        return (lane >> SCHEME_SHIFT) & 0xff;
    }

    function _statusOf(uint256 lane) private pure returns (TaskStatus) {
        return TaskStatus(lane >> STATUS_SHIFT);
    }

    /// @dev `lane` with `amount` (a multiple of AMOUNT_UNIT no larger than what the lane held) locked.
    function _withLocked(uint256 lane, uint256 amount) private pure returns (uint256) {
        return (lane & ~UNITS_MASK) | (amount / AMOUNT_UNIT);
    }

    function _withStatus(uint256 lane, TaskStatus status) private pure returns (uint256) {
        return (lane & ~(uint256(0xff) << STATUS_SHIFT)) | (uint256(status) << STATUS_SHIFT);
    }

    function _addFeeScheme(FeeScheme memory f) private returns (uint8 id) {
        if (_feeSchemes.length >= MAX_FEE_SCHEMES) revert TaskEscrowTooManyFeeSchemes();
        if (
            uint256(f.workerBps) + f.validatorBps + f.treasuryBps + f.burnBps != BPS || f.workerBps < MIN_WORKER_BPS
                || f.validatorBps > MAX_VALIDATOR_BPS || f.treasuryBps > MAX_TREASURY_BPS || f.burnBps > MAX_BURN_BPS
        ) revert TaskEscrowInvalidFeeScheme();
        id = uint8(_feeSchemes.length);
        _feeSchemes.push(f);
        emit FeeSchemeAdded(id, f.workerBps, f.validatorBps, f.treasuryBps, f.burnBps);
    }
}

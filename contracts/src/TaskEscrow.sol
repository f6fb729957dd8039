// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {INodeRegistry} from "./INodeRegistry.sol";

/// @title TaskEscrow
/// @notice The market's ledger. Accounts deposit tokens into an internal balance; a poster locks part of it
/// per task; verified work is paid by `settle`, many tasks per transaction, by the task's fee scheme.
///
/// A task id carries its poster in its high 160 bits (`bytes32(bytes20(poster)) | localId`), so nobody can
/// take another poster's id, and the task's storage fits one slot.
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

    /// @notice One slot per task: what is still locked, when it may be refunded, how it is split.
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

    /// @notice A worker's or validator's part of a task: `account` indexes `Batch.accounts`. Weight 0 marks
    /// a worker whose results were rejected: unpaid, counted as a failed task.
    struct Share {
        uint32 account;
        uint32 weight;
    }

    /// @notice Releases `amount` of a task's escrow to its shares; `close` ends the task and returns what
    /// is left to the poster. A task may be settled in parts (e.g. one approved assignment at a time).
    struct TaskSettlement {
        bytes32 taskId;
        uint96 amount;
        bool close;
        Share[] workers;
        Share[] validators;
    }

    /// @notice Many settlements in one transaction. `batchId` makes it idempotent; `jobsRoot` is the Merkle
    /// root of the batch's job records, so each worker can prove what it was paid for.
    struct Batch {
        bytes32 batchId;
        bytes32 jobsRoot;
        address[] accounts;
        TaskSettlement[] tasks;
    }

    IERC20 private immutable _token;
    address private _treasury;
    INodeRegistry private _registry;
    FeeScheme[] private _feeSchemes;

    mapping(address account => uint256) private _balances;
    mapping(bytes32 taskId => Task) private _tasks;
    mapping(address poster => mapping(address operator => uint256)) private _operatorAllowances;
    mapping(address poster => mapping(uint256 word => uint256 bits)) private _nonceBitmaps;
    mapping(bytes32 batchId => bytes32 jobsRoot) private _batchRoots;

    event Deposited(address indexed account, address indexed from, uint256 amount);
    event Withdrawn(address indexed account, uint256 amount);
    event OperatorApproved(address indexed poster, address indexed operator, uint256 amount);
    event TaskCreated(bytes32 indexed taskId, address indexed poster, uint256 amount, uint256 deadline, uint8 feeScheme);
    event TaskSettled(bytes32 indexed taskId, bytes32 indexed batchId, uint256 paid, uint256 returned);
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

    /// @notice Locks `terms.amount` of the caller's balance for a task whose id carries the caller.
    function createTask(TaskTerms calldata terms) external {
        address poster = posterOf(terms.taskId);
        if (poster != msg.sender) revert TaskEscrowNotPoster(terms.taskId, msg.sender);
        _createTask(poster, terms);
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
            _createTask(poster, TaskTerms(order.taskId, order.amount, order.deadline, order.feeScheme));
        }
    }

    /// @notice Creates tasks within the allowances their posters granted the caller. All or nothing.
    function createTasksFromAllowance(TaskTerms[] calldata terms) external onlyRole(OPERATOR_ROLE) {
        if (terms.length > MAX_BATCH_TASKS) revert TaskEscrowBatchTooLarge();
        for (uint256 i = 0; i < terms.length; ++i) {
            address poster = posterOf(terms[i].taskId);
            uint256 allowance = _operatorAllowances[poster][msg.sender];
            if (allowance != type(uint256).max) {
                if (allowance < terms[i].amount) {
                    revert TaskEscrowInsufficientAllowance(poster, msg.sender, allowance, terms[i].amount);
                }
                _operatorAllowances[poster][msg.sender] = allowance - terms[i].amount;
            }
            _createTask(poster, terms[i]);
        }
    }

    // ------------------------------------------------------------------ settling

    /// @notice Pays a batch of tasks: per task, the worker pool by weight, validators, treasury and burn by
    /// the task's fee scheme; rounding dust goes to the treasury. Records the job records' root.
    function settle(Batch calldata batch) external onlyRole(OPERATOR_ROLE) nonReentrant {
        if (batch.jobsRoot == bytes32(0)) revert TaskEscrowEmptyRoot();
        if (_batchRoots[batch.batchId] != bytes32(0)) revert TaskEscrowBatchAlreadySettled(batch.batchId);
        if (batch.tasks.length > MAX_BATCH_TASKS || batch.accounts.length > MAX_BATCH_ACCOUNTS) {
            revert TaskEscrowBatchTooLarge();
        }
        _batchRoots[batch.batchId] = batch.jobsRoot;

        uint256 n = batch.accounts.length;
        uint256[] memory credits = new uint256[](n);
        uint32[] memory completed = new uint32[](n);
        uint32[] memory failed = new uint32[](n);
        uint256 treasuryTotal;
        uint256 burnTotal;
        for (uint256 i = 0; i < batch.tasks.length; ++i) {
            (uint256 toTreasury, uint256 toBurn) =
                _settleTask(batch.batchId, batch.tasks[i], credits, completed, failed);
            treasuryTotal += toTreasury;
            burnTotal += toBurn;
        }

        bool anyCount;
        for (uint256 i = 0; i < n; ++i) {
            if (completed[i] != 0 || failed[i] != 0) anyCount = true;
            if (credits[i] == 0) continue;
            address account = batch.accounts[i];
            if (account == address(0)) revert TaskEscrowZeroAddress();
            _balances[account] += credits[i];
            emit BalanceCredited(batch.batchId, account, credits[i]);
        }
        if (treasuryTotal != 0) _balances[_treasury] += treasuryTotal;
        emit BatchSettled(batch.batchId, batch.jobsRoot, batch.tasks.length, treasuryTotal, burnTotal);
        if (burnTotal != 0) ERC20Burnable(address(_token)).burn(burnTotal);
        if (anyCount && address(_registry) != address(0)) {
            _registry.recordTaskResults(batch.accounts, completed, failed);
        }
    }

    /// @notice Returns a task's remaining escrow to its poster. The operator may refund an open task at any
    /// time; anyone may after its deadline; a frozen task only by DISPUTE_ROLE, or by anyone once its
    /// deadline plus FROZEN_GRACE has passed, so no escrow is stuck if the operator disappears.
    function refund(bytes32 taskId) external nonReentrant {
        Task storage task = _tasks[taskId];
        TaskStatus status = task.status;
        bool allowed;
        if (status == TaskStatus.Open) {
            allowed = hasRole(OPERATOR_ROLE, msg.sender) || block.timestamp > task.deadline;
        } else if (status == TaskStatus.Frozen) {
            allowed = hasRole(DISPUTE_ROLE, msg.sender) || block.timestamp > uint256(task.deadline) + FROZEN_GRACE;
        } else {
            revert TaskEscrowTaskNotOpen(taskId, status);
        }
        if (!allowed) revert TaskEscrowRefundNotAllowed(taskId, msg.sender);
        uint256 amount = task.locked;
        address poster = posterOf(taskId);
        task.locked = 0;
        task.status = TaskStatus.Refunded;
        _balances[poster] += amount;
        emit TaskRefunded(taskId, poster, amount);
    }

    /// @notice Stops a disputed task from being settled or refunded by the operator.
    function freeze(bytes32 taskId) external onlyRole(DISPUTE_ROLE) {
        Task storage task = _tasks[taskId];
        if (task.status != TaskStatus.Open) revert TaskEscrowTaskNotOpen(taskId, task.status);
        task.status = TaskStatus.Frozen;
        emit TaskFrozen(taskId);
    }

    /// @notice Reopens a frozen task once its dispute is resolved.
    function unfreeze(bytes32 taskId) external onlyRole(DISPUTE_ROLE) {
        Task storage task = _tasks[taskId];
        if (task.status != TaskStatus.Frozen) revert TaskEscrowTaskNotFrozen(taskId, task.status);
        task.status = TaskStatus.Open;
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

    function getTask(bytes32 taskId) external view returns (Task memory) {
        return _tasks[taskId];
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

    function _createTask(address poster, TaskTerms memory terms) private {
        if (terms.amount == 0) revert TaskEscrowZeroAmount();
        if (terms.deadline <= block.timestamp || terms.deadline > block.timestamp + MAX_TASK_DURATION) {
            revert TaskEscrowInvalidDeadline(terms.deadline);
        }
        if (terms.feeScheme >= _feeSchemes.length) revert TaskEscrowUnknownFeeScheme(terms.feeScheme);
        Task storage task = _tasks[terms.taskId];
        if (task.status != TaskStatus.None) revert TaskEscrowTaskExists(terms.taskId);
        uint256 balance = _balances[poster];
        if (balance < terms.amount) revert TaskEscrowInsufficientBalance(poster, balance, terms.amount);
        _balances[poster] = balance - terms.amount;
        _tasks[terms.taskId] = Task(terms.amount, terms.deadline, terms.feeScheme, TaskStatus.Open);
        emit TaskCreated(terms.taskId, poster, terms.amount, terms.deadline, terms.feeScheme);
    }

    function _useNonce(address poster, uint256 nonce) private {
        uint256 bit = 1 << (nonce & 0xff);
        uint256 bits = _nonceBitmaps[poster][nonce >> 8];
        if (bits & bit != 0) revert TaskEscrowNonceUsed(poster, nonce);
        _nonceBitmaps[poster][nonce >> 8] = bits | bit;
    }

    /// @dev Pays one task into the batch's memory accumulators; returns its treasury and burn amounts.
    function _settleTask(
        bytes32 batchId,
        TaskSettlement calldata s,
        uint256[] memory credits,
        uint32[] memory completed,
        uint32[] memory failed
    ) private returns (uint256 toTreasury, uint256 toBurn) {
        Task storage task = _tasks[s.taskId];
        Task memory t = task;
        if (t.status != TaskStatus.Open) revert TaskEscrowTaskNotOpen(s.taskId, t.status);
        if (s.amount > t.locked) revert TaskEscrowAmountExceedsLocked(s.taskId, s.amount, t.locked);
        if (s.workers.length > MAX_SHARES || s.validators.length > MAX_SHARES) revert TaskEscrowBatchTooLarge();

        FeeScheme memory f = _feeSchemes[t.feeScheme];
        uint256 workerPool = (uint256(s.amount) * f.workerBps) / BPS;
        uint256 validatorPool = (uint256(s.amount) * f.validatorBps) / BPS;
        toBurn = (uint256(s.amount) * f.burnBps) / BPS;
        // Without validators their share goes to the workers who did the work.
        if (s.validators.length == 0) {
            workerPool += validatorPool;
            validatorPool = 0;
        }
        uint256 paid = _distribute(s.workers, workerPool, credits, completed, failed);
        if (workerPool != 0 && paid == 0) revert TaskEscrowNoAcceptedWork(s.taskId);
        paid += _distribute(s.validators, validatorPool, credits, new uint32[](0), new uint32[](0));
        toTreasury = s.amount - paid - toBurn;

        uint96 remaining = t.locked - s.amount;
        if (s.close) {
            task.locked = 0;
            task.status = TaskStatus.Settled;
            if (remaining != 0) _balances[posterOf(s.taskId)] += remaining;
        } else {
            task.locked = remaining;
            remaining = 0;
        }
        emit TaskSettled(s.taskId, batchId, s.amount, remaining);
    }

    /// @dev Splits `pool` among `shares` by weight into `credits`; counts outcomes when counters are given.
    function _distribute(
        Share[] calldata shares,
        uint256 pool,
        uint256[] memory credits,
        uint32[] memory completed,
        uint32[] memory failed
    ) private pure returns (uint256 paid) {
        uint256 totalWeight;
        uint256 n = credits.length;
        bool counting = completed.length != 0;
        for (uint256 j = 0; j < shares.length; ++j) {
            uint256 index = shares[j].account;
            if (index >= n) revert TaskEscrowInvalidAccountIndex(index);
            totalWeight += shares[j].weight;
            if (!counting) continue;
            if (shares[j].weight == 0) ++failed[index];
            else ++completed[index];
        }
        if (totalWeight == 0 || pool == 0) return 0;
        for (uint256 j = 0; j < shares.length; ++j) {
            uint256 amount = (pool * shares[j].weight) / totalWeight;
            credits[shares[j].account] += amount;
            paid += amount;
        }
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

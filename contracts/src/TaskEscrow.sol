// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {INodeRegistry} from "./INodeRegistry.sol";
import {ITaskEscrow} from "./ITaskEscrow.sol";
import {EscrowLedger} from "./EscrowLedger.sol";
import {FeeSchemes} from "./FeeSchemes.sol";
import {JobRecords} from "./JobRecords.sol";
import {SettlementCodec} from "./SettlementCodec.sol";
import {TaskLane, TaskLanes} from "./TaskLanes.sol";
import {TaskOrders} from "./TaskOrders.sol";

/// @title TaskEscrow
/// @notice The market's escrow (see `ITaskEscrow`): tasks locked from the poster's balance (`EscrowLedger`)
/// by the poster, from signed orders (`TaskOrders`) or from an operator allowance; batch settlement by fee
/// scheme (`FeeSchemes`, `SettlementCodec`) anchoring the job records (`JobRecords`); refunds and disputes.
/// Tasks are stored packed, two to a slot (`TaskLanes`).
contract TaskEscrow is ITaskEscrow, AccessControl, EscrowLedger, FeeSchemes, TaskOrders, JobRecords {
    /// @notice Role that relays orders, creates tasks from allowances, settles and refunds.
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    /// @notice Role that freezes and unfreezes disputed tasks (later the dispute court).
    bytes32 public constant DISPUTE_ROLE = keccak256("DISPUTE_ROLE");
    /// @notice Role that adds fee schemes and sets the treasury and registry (later the timelock).
    bytes32 public constant PARAMS_ROLE = keccak256("PARAMS_ROLE");

    /// @notice Longest a task may stay open.
    uint256 public constant MAX_TASK_DURATION = 365 days;
    /// @notice After its deadline plus this, anyone may refund even a frozen task.
    uint256 public constant FROZEN_GRACE = 30 days;
    /// @notice Most tasks one call creates or settles.
    uint256 public constant MAX_BATCH_TASKS = 512;
    /// @notice Most accounts one settle batch pays.
    uint256 public constant MAX_BATCH_ACCOUNTS = 1_024;
    /// @notice Most worker shares, and most validator shares, of one task's settlement.
    uint256 public constant MAX_SHARES = 64;
    /// @notice Escrowed amounts are whole multiples of this many base units (a nano-token).
    uint256 public constant AMOUNT_UNIT = TaskLanes.AMOUNT_UNIT;
    /// @dev One failed task in an account's `counts` (a batch has under 2^32 shares, so no carry reaches it).
    uint256 private constant ONE_FAILED = 1 << 32;

    /// @dev What a settle batch adds up in memory, so storage is written once per account and per batch.
    /// `counts` holds each account's completed tasks in bits 0..31 and failed ones from bit 32, as
    /// `INodeRegistry.recordTaskResults` reads them; `counted` says whether any task had a worker.
    struct Accumulators {
        uint256[] credits;
        uint256[] counts;
        uint256[] feeSchemes; // the cache of `_cachedFeeScheme`
        uint256 toTreasury;
        uint256 toBurn;
        bool counted;
    }

    address private _treasury;
    INodeRegistry private _registry;

    mapping(uint256 pairKey => uint256 lanes) private _taskPairs; // see TaskLanes

    /// @param token_ The ledger's token (must be burnable for fee schemes that burn).
    /// @param admin Receives DEFAULT_ADMIN_ROLE and PARAMS_ROLE.
    /// @param treasury_ Account credited with the treasury's share.
    constructor(IERC20 token_, address admin, address treasury_) EscrowLedger(token_) {
        if (address(token_) == address(0) || admin == address(0) || treasury_ == address(0)) {
            revert TaskEscrowZeroAddress();
        }
        _treasury = treasury_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PARAMS_ROLE, admin);
        _addFeeScheme(FeeScheme(9_200, 0, 800, 0)); // 0: compute and human work (seed 003)
        _addFeeScheme(FeeScheme(7_000, 2_500, 0, 500)); // 1: judged inference (seed 004)
        _addFeeScheme(FeeScheme(2_500, 1_000, 500, 6_000)); // 2: seed 001's preset
    }

    // ------------------------------------------------------------------ creating tasks

    /// @inheritdoc ITaskEscrow
    function createTask(TaskTerms calldata terms) external {
        address poster = posterOf(terms.taskId);
        if (poster != msg.sender) revert TaskEscrowNotPoster(terms.taskId, msg.sender);
        _createTask(poster, terms.taskId, terms.amount, terms.deadline, terms.feeScheme);
    }

    /// @inheritdoc ITaskEscrow
    function createTasksFor(TaskOrder[] calldata orders, bytes[] calldata signatures)
        external
        onlyRole(OPERATOR_ROLE)
    {
        if (orders.length != signatures.length) revert TaskEscrowLengthMismatch();
        if (orders.length > MAX_BATCH_TASKS) revert TaskEscrowBatchTooLarge();
        for (uint256 i = 0; i < orders.length; ++i) {
            TaskOrder calldata order = orders[i];
            address poster = posterOf(order.taskId);
            _useOrder(poster, order, signatures[i]);
            _createTask(poster, order.taskId, order.amount, order.deadline, order.feeScheme);
        }
    }

    /// @inheritdoc ITaskEscrow
    function createTasksFromAllowance(TaskTerms[] calldata terms) external onlyRole(OPERATOR_ROLE) {
        if (terms.length > MAX_BATCH_TASKS) revert TaskEscrowBatchTooLarge();
        for (uint256 i = 0; i < terms.length; ++i) {
            TaskTerms calldata t = terms[i];
            address poster = posterOf(t.taskId);
            _spendOperatorAllowance(poster, msg.sender, t.amount);
            _createTask(poster, t.taskId, t.amount, t.deadline, t.feeScheme);
        }
    }

    // ------------------------------------------------------------------ settling, refunds, disputes

    /// @inheritdoc ITaskEscrow
    function settle(Batch calldata batch) external onlyRole(OPERATOR_ROLE) nonReentrant {
        _recordBatch(batch.batchId, batch.jobsRoot);
        if (batch.tasks.length > MAX_BATCH_TASKS || batch.accounts.length > MAX_BATCH_ACCOUNTS) {
            revert TaskEscrowBatchTooLarge();
        }

        uint256 n = batch.accounts.length;
        Accumulators memory acc =
            Accumulators(new uint256[](n), new uint256[](n), new uint256[](feeSchemeCount()), 0, 0, false);
        for (uint256 i = 0; i < batch.tasks.length; ++i) {
            _settleTask(batch.tasks[i], acc);
        }

        for (uint256 i = 0; i < n; ++i) {
            uint256 credit = acc.credits[i];
            if (credit == 0) continue;
            address account = batch.accounts[i];
            if (account == address(0)) revert TaskEscrowZeroAddress();
            _credit(account, credit);
            emit BalanceCredited(batch.batchId, account, credit);
        }
        if (acc.toTreasury != 0) _credit(_treasury, acc.toTreasury);
        emit BatchSettled(batch.batchId, batch.jobsRoot, batch.tasks.length, acc.toTreasury, acc.toBurn);
        if (acc.toBurn != 0) ERC20Burnable(address(token())).burn(acc.toBurn);
        _recordInRegistry(batch, acc);
    }

    /// @inheritdoc ITaskEscrow
    function refund(bytes32 taskId) external nonReentrant {
        (uint256 key, uint256 shift, uint256 word, TaskLane lane) = TaskLanes.load(_taskPairs, taskId);
        TaskStatus status = lane.status();
        uint256 deadline = lane.deadline();
        bool allowed;
        if (status == TaskStatus.Open) {
            allowed = hasRole(OPERATOR_ROLE, msg.sender) || block.timestamp > deadline;
        } else if (status == TaskStatus.Frozen) {
            allowed = hasRole(DISPUTE_ROLE, msg.sender) || block.timestamp > deadline + FROZEN_GRACE;
        } else {
            revert TaskEscrowTaskNotOpen(taskId, status);
        }
        if (!allowed) revert TaskEscrowRefundNotAllowed(taskId, msg.sender);
        uint256 amount = lane.locked();
        address poster = posterOf(taskId);
        TaskLanes.store(_taskPairs, key, shift, word, lane.withLocked(0).withStatus(TaskStatus.Refunded));
        _credit(poster, amount);
        emit TaskRefunded(taskId, poster, amount);
    }

    /// @inheritdoc ITaskEscrow
    function freeze(bytes32 taskId) external onlyRole(DISPUTE_ROLE) {
        _moveStatus(taskId, TaskStatus.Open, TaskStatus.Frozen);
        emit TaskFrozen(taskId);
    }

    /// @inheritdoc ITaskEscrow
    function unfreeze(bytes32 taskId) external onlyRole(DISPUTE_ROLE) {
        _moveStatus(taskId, TaskStatus.Frozen, TaskStatus.Open);
        emit TaskUnfrozen(taskId);
    }

    // ------------------------------------------------------------------ parameters

    /// @inheritdoc ITaskEscrow
    function addFeeScheme(FeeScheme calldata scheme) external onlyRole(PARAMS_ROLE) returns (uint8 id) {
        return _addFeeScheme(scheme);
    }

    /// @inheritdoc ITaskEscrow
    function setTreasury(address newTreasury) external onlyRole(PARAMS_ROLE) {
        if (newTreasury == address(0)) revert TaskEscrowZeroAddress();
        address old = _treasury;
        _treasury = newTreasury;
        emit TreasuryUpdated(old, newTreasury);
    }

    /// @inheritdoc ITaskEscrow
    function setRegistry(INodeRegistry newRegistry) external onlyRole(PARAMS_ROLE) {
        address old = address(_registry);
        _registry = newRegistry;
        emit RegistryUpdated(old, address(newRegistry));
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc ITaskEscrow
    function posterOf(bytes32 taskId) public pure returns (address) {
        return address(bytes20(taskId));
    }

    /// @inheritdoc ITaskEscrow
    function getTask(bytes32 taskId) external view returns (Task memory) {
        (,,, TaskLane lane) = TaskLanes.load(_taskPairs, taskId);
        return Task(uint96(lane.locked()), uint40(lane.deadline()), uint8(lane.feeScheme()), lane.status());
    }

    /// @inheritdoc ITaskEscrow
    function treasury() external view returns (address) {
        return _treasury;
    }

    /// @inheritdoc ITaskEscrow
    function registry() external view returns (INodeRegistry) {
        return _registry;
    }

    // ------------------------------------------------------------------ internals

    function _createTask(address poster, bytes32 taskId, uint256 amount, uint256 deadline, uint8 scheme) private {
        if (amount == 0) revert TaskEscrowZeroAmount();
        if (amount % AMOUNT_UNIT != 0) revert TaskEscrowAmountNotAligned(amount);
        // A packed task keeps its deadline in 32 bits (until 2106).
        if (
            deadline <= block.timestamp || deadline > block.timestamp + MAX_TASK_DURATION
                || deadline > type(uint32).max
        ) revert TaskEscrowInvalidDeadline(deadline);
        if (scheme >= feeSchemeCount()) revert TaskEscrowUnknownFeeScheme(scheme);
        (uint256 key, uint256 shift, uint256 word, TaskLane lane) = TaskLanes.load(_taskPairs, taskId);
        if (!lane.isEmpty()) revert TaskEscrowTaskExists(taskId);
        _debit(poster, amount);
        uint64 units = SafeCast.toUint64(amount / AMOUNT_UNIT);
        TaskLanes.store(_taskPairs, key, shift, word, TaskLanes.open(units, deadline, scheme));
        emit TaskCreated(taskId, amount, deadline, scheme);
    }

    /// @dev Pays one task into the batch's memory accumulators and updates its escrow.
    function _settleTask(TaskSettlement calldata s, Accumulators memory acc) private {
        bytes32 taskId = s.taskId;
        uint256 terms = s.terms;
        uint256[] calldata shares = s.shares;
        (uint256 workerCount, uint256 validatorCount) = SettlementCodec.counts(terms);
        SettlementCodec.checkEncoding(taskId, terms, shares, workerCount + validatorCount);
        if (workerCount > MAX_SHARES || validatorCount > MAX_SHARES) revert TaskEscrowBatchTooLarge();
        uint256 amount = SettlementCodec.amount(terms);
        if (amount % AMOUNT_UNIT != 0) revert TaskEscrowAmountNotAligned(amount);

        (uint256 key, uint256 shift, uint256 word, TaskLane lane) = TaskLanes.load(_taskPairs, taskId);
        if (!lane.hasStatus(TaskStatus.Open)) revert TaskEscrowTaskNotOpen(taskId, lane.status());
        uint256 locked = lane.locked();
        if (amount > locked) revert TaskEscrowAmountExceedsLocked(taskId, amount, locked);

        (uint256 workerBps, uint256 validatorBps, uint256 burnBps) = _cachedFeeScheme(acc.feeSchemes, lane.feeScheme());
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
        if (workerCount != 0) acc.counted = true;
        (uint256 paid, uint256 workerWeight) = _distribute(shares, 0, workerCount, workerPool, acc, true);
        if (workerPool != 0 && workerWeight == 0) revert TaskEscrowNoAcceptedWork(taskId);
        (uint256 paidToValidators,) = _distribute(shares, workerCount, validatorCount, validatorPool, acc, false);
        paid += paidToValidators;
        acc.toTreasury += amount - paid - toBurn;
        acc.toBurn += toBurn;

        uint256 returned;
        if (SettlementCodec.closes(terms)) {
            returned = locked - amount;
            TaskLanes.store(_taskPairs, key, shift, word, lane.withLocked(0).withStatus(TaskStatus.Settled));
            if (returned != 0) _credit(posterOf(taskId), returned);
        } else {
            TaskLanes.store(_taskPairs, key, shift, word, lane.withLocked(locked - amount));
        }
        emit TaskSettled(taskId, amount, returned);
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
        uint256[] memory counts = acc.counts;
        uint256 n = credits.length;
        // Bounded: at most 2 * MAX_SHARES shares of weight < 2^16 per task, MAX_BATCH_TASKS tasks per batch,
        // pool <= amount < 2^96. Indexes are checked against n before any memory access.
        unchecked {
            uint256 end = from + count;
            for (uint256 k = from; k < end; ++k) {
                (uint256 index, uint256 weight) = SettlementCodec.share(shares, k);
                if (index >= n) revert TaskEscrowInvalidAccountIndex(index);
                totalWeight += weight;
                if (workers) counts[index] += weight == 0 ? ONE_FAILED : 1;
            }
            if (totalWeight == 0 || pool == 0) return (0, totalWeight);
            for (uint256 k = from; k < end; ++k) {
                (uint256 index, uint256 weight) = SettlementCodec.share(shares, k);
                uint256 amount = (pool * weight) / totalWeight;
                credits[index] += amount;
                paid += amount;
            }
        }
    }

    /// @dev Hands the registry the batch's task counts and reputations, then its slashes, one call each when
    /// there are any. Without a registry, counts and reputations are not kept and slashes are refused.
    function _recordInRegistry(Batch calldata batch, Accumulators memory acc) private {
        INodeRegistry registry = _registry;
        bool slashes = batch.slashes.length != 0;
        if (address(registry) == address(0)) {
            if (slashes) revert TaskEscrowNoRegistry();
            return;
        }
        if (acc.counted || batch.reputations.length != 0) {
            registry.recordTaskResults(batch.accounts, acc.counts, batch.reputations);
        }
        if (slashes) registry.slashInBatch(batch.batchId, batch.accounts, batch.slashes);
    }

    /// @dev Moves an existing task from status `from` to `to`, or reverts naming the status it is in.
    function _moveStatus(bytes32 taskId, TaskStatus from, TaskStatus to) private {
        (uint256 key, uint256 shift, uint256 word, TaskLane lane) = TaskLanes.load(_taskPairs, taskId);
        if (!lane.hasStatus(from)) {
            if (from == TaskStatus.Open) revert TaskEscrowTaskNotOpen(taskId, lane.status());
            revert TaskEscrowTaskNotFrozen(taskId, lane.status());
        }
        TaskLanes.store(_taskPairs, key, shift, word, lane.withStatus(to));
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ITaskEscrow} from "./ITaskEscrow.sol";

/// @dev One task's 112 bits in its pair's storage slot: bits 0..63 the locked amount in units of
/// AMOUNT_UNIT, 64..95 the deadline, 96..103 the fee scheme, 104..111 the status. A lane is zero exactly when
/// no task has that id (status None).
type TaskLane is uint256;

using TaskLanes for TaskLane global;

/// @title TaskLanes
/// @notice Packed task storage: two tasks per slot, keyed by `taskId >> 1`, task `taskId` in lane
/// `taskId & 1` (lane 1 starts at bit 128). Since a task id's high 160 bits are its poster, the two tasks of
/// a slot are consecutive tasks of one poster, and creating or settling them together writes one slot.
/// Amounts are kept in whole nano-tokens (AMOUNT_UNIT), so an amount fits 64 bits and a task 112.
library TaskLanes {
    /// @dev Escrowed amounts are whole multiples of this many base units (a nano-token).
    uint256 internal constant AMOUNT_UNIT = 1e9;

    uint256 private constant LANE_SHIFT_BITS = 7;
    uint256 private constant LANE_MASK = (1 << 112) - 1;
    uint256 private constant UNITS_MASK = type(uint64).max;
    uint256 private constant DEADLINE_SHIFT = 64;
    uint256 private constant SCHEME_SHIFT = 96;
    uint256 private constant STATUS_SHIFT = 104;

    /// @dev Where task `taskId` lives: its pair's slot key, its lane's bit offset, the slot and the lane.
    function load(mapping(uint256 pairKey => uint256 lanes) storage pairs, bytes32 taskId)
        internal
        view
        returns (uint256 key, uint256 shift, uint256 word, TaskLane lane)
    {
        key = uint256(taskId) >> 1;
        shift = (uint256(taskId) & 1) << LANE_SHIFT_BITS;
        word = pairs[key];
        lane = TaskLane.wrap((word >> shift) & LANE_MASK);
    }

    /// @dev Writes `lane` into its pair's slot `word` (as `load` read it), leaving the other task's lane as it
    /// was.
    function store(
        mapping(uint256 pairKey => uint256 lanes) storage pairs,
        uint256 key,
        uint256 shift,
        uint256 word,
        TaskLane lane
    ) internal {
        pairs[key] = (word & ~(LANE_MASK << shift)) | (TaskLane.unwrap(lane) << shift);
    }

    /// @dev A new open task's lane: `units` of AMOUNT_UNIT locked until `until`, paid by fee scheme `scheme`.
    function open(uint64 units, uint256 until, uint8 scheme) internal pure returns (TaskLane) {
        return TaskLane.wrap(
            units | (until << DEADLINE_SHIFT) | (uint256(scheme) << SCHEME_SHIFT)
                | (uint256(ITaskEscrow.TaskStatus.Open) << STATUS_SHIFT)
        );
    }

    /// @dev True when no task has this lane's id.
    function isEmpty(TaskLane lane) internal pure returns (bool) {
        return TaskLane.unwrap(lane) == 0;
    }

    /// @dev The amount still locked, in base units.
    function locked(TaskLane lane) internal pure returns (uint256) {
        unchecked {
            return (TaskLane.unwrap(lane) & UNITS_MASK) * AMOUNT_UNIT; // < 2^64 * 1e9 < 2^94
        }
    }

    /// @dev When the task may be refunded by anyone (unix seconds).
    function deadline(TaskLane lane) internal pure returns (uint256) {
        return (TaskLane.unwrap(lane) >> DEADLINE_SHIFT) & type(uint32).max;
    }

    /// @dev The id of the fee scheme the task is paid by.
    function feeScheme(TaskLane lane) internal pure returns (uint256) {
        return (TaskLane.unwrap(lane) >> SCHEME_SHIFT) & 0xff;
    }

    /// @dev True when the task is in status `expected`. The settle loop checks this rather than `status`, which
    /// range-checks the enum and which the optimizer keeps as a call (about 35 gas a task).
    function hasStatus(TaskLane lane, ITaskEscrow.TaskStatus expected) internal pure returns (bool) {
        return TaskLane.unwrap(lane) >> STATUS_SHIFT == uint256(expected);
    }

    /// @dev Where the task is in its life.
    function status(TaskLane lane) internal pure returns (ITaskEscrow.TaskStatus) {
        return ITaskEscrow.TaskStatus(TaskLane.unwrap(lane) >> STATUS_SHIFT);
    }

    /// @dev `lane` with `amount` (a multiple of AMOUNT_UNIT no larger than what the lane held) locked.
    function withLocked(TaskLane lane, uint256 amount) internal pure returns (TaskLane) {
        return TaskLane.wrap((TaskLane.unwrap(lane) & ~UNITS_MASK) | (amount / AMOUNT_UNIT));
    }

    /// @dev `lane` in status `newStatus`.
    function withStatus(TaskLane lane, ITaskEscrow.TaskStatus newStatus) internal pure returns (TaskLane) {
        return TaskLane.wrap(
            (TaskLane.unwrap(lane) & ~(uint256(0xff) << STATUS_SHIFT)) | (uint256(newStatus) << STATUS_SHIFT)
        );
    }
}

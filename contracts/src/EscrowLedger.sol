// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ITaskEscrow} from "./ITaskEscrow.sol";

/// @title EscrowLedger
/// @notice The escrow's internal ledger (as iExec's): accounts deposit tokens into a balance and withdraw
/// them; tasks lock and pay out within the ledger, so only deposits and withdrawals move tokens. A poster may
/// let an operator lock part of its balance in tasks (API-key clients).
abstract contract EscrowLedger is ITaskEscrow, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    IERC20 private immutable _token;

    mapping(address account => uint256) private _balances;
    mapping(address poster => mapping(address operator => uint256)) private _operatorAllowances;

    constructor(IERC20 token_) {
        _token = token_;
    }

    /// @inheritdoc ITaskEscrow
    function deposit(uint256 amount) external nonReentrant {
        _deposit(msg.sender, msg.sender, amount);
    }

    /// @inheritdoc ITaskEscrow
    function depositFor(address account, uint256 amount) external nonReentrant {
        if (account == address(0)) revert TaskEscrowZeroAddress();
        _deposit(account, msg.sender, amount);
    }

    /// @inheritdoc ITaskEscrow
    function depositWithPermit(uint256 amount, uint256 permitDeadline, uint8 v, bytes32 r, bytes32 s)
        external
        nonReentrant
    {
        try IERC20Permit(address(_token)).permit(msg.sender, address(this), amount, permitDeadline, v, r, s) {} catch {}
        _deposit(msg.sender, msg.sender, amount);
    }

    /// @inheritdoc ITaskEscrow
    function withdraw(uint256 amount) external nonReentrant {
        if (amount == 0) revert TaskEscrowZeroAmount();
        _debit(msg.sender, amount);
        emit Withdrawn(msg.sender, amount);
        _token.safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc ITaskEscrow
    function approveOperator(address operator, uint256 amount) external {
        if (operator == address(0)) revert TaskEscrowZeroAddress();
        _operatorAllowances[msg.sender][operator] = amount;
        emit OperatorApproved(msg.sender, operator, amount);
    }

    /// @inheritdoc ITaskEscrow
    function token() public view returns (IERC20) {
        return _token;
    }

    /// @inheritdoc ITaskEscrow
    function balanceOf(address account) external view returns (uint256) {
        return _balances[account];
    }

    /// @inheritdoc ITaskEscrow
    function operatorAllowance(address poster, address operator) external view returns (uint256) {
        return _operatorAllowances[poster][operator];
    }

    /// @dev Adds `amount` to `account`'s balance.
    function _credit(address account, uint256 amount) internal {
        _balances[account] += amount;
    }

    /// @dev Takes `amount` from `account`'s balance, or reverts when it holds less.
    function _debit(address account, uint256 amount) internal {
        uint256 balance = _balances[account];
        if (balance < amount) revert TaskEscrowInsufficientBalance(account, balance, amount);
        _balances[account] = balance - amount;
    }

    /// @dev Takes `amount` from what `poster` lets `operator` lock, or reverts when that is less; an allowance
    /// of `type(uint256).max` is not spent down.
    function _spendOperatorAllowance(address poster, address operator, uint256 amount) internal {
        uint256 allowance = _operatorAllowances[poster][operator];
        if (allowance == type(uint256).max) return;
        if (allowance < amount) revert TaskEscrowInsufficientAllowance(poster, operator, allowance, amount);
        _operatorAllowances[poster][operator] = allowance - amount;
    }

    function _deposit(address account, address from, uint256 amount) private {
        if (amount == 0) revert TaskEscrowZeroAmount();
        _balances[account] += amount;
        emit Deposited(account, from, amount);
        _token.safeTransferFrom(from, address(this), amount);
    }
}

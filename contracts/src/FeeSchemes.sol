// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ITaskEscrow} from "./ITaskEscrow.sol";

/// @title FeeSchemes
/// @notice The fee schemes tasks are paid by: an append-only list, so a task's split is fixed when it is
/// created, each scheme within bounds that keep most of a payment with the workers.
abstract contract FeeSchemes is ITaskEscrow {
    /// @notice A whole, in basis points.
    uint256 public constant BPS = 10_000;
    /// @notice Least share of a payment that goes to the workers.
    uint256 public constant MIN_WORKER_BPS = 2_500;
    /// @notice Largest share of a payment that goes to the validators.
    uint256 public constant MAX_VALIDATOR_BPS = 3_000;
    /// @notice Largest share of a payment that goes to the treasury.
    uint256 public constant MAX_TREASURY_BPS = 1_000;
    /// @notice Largest share of a payment that is burned.
    uint256 public constant MAX_BURN_BPS = 6_000;
    /// @notice Most fee schemes there can be (ids fit 8 bits).
    uint256 public constant MAX_FEE_SCHEMES = 64;

    FeeScheme[] private _feeSchemes;

    /// @inheritdoc ITaskEscrow
    function feeScheme(uint8 id) external view returns (FeeScheme memory) {
        if (id >= _feeSchemes.length) revert TaskEscrowUnknownFeeScheme(id);
        return _feeSchemes[id];
    }

    /// @inheritdoc ITaskEscrow
    function feeSchemeCount() public view returns (uint256) {
        return _feeSchemes.length;
    }

    /// @dev Appends `f` after checking its bounds.
    function _addFeeScheme(FeeScheme memory f) internal returns (uint8 id) {
        if (_feeSchemes.length >= MAX_FEE_SCHEMES) revert TaskEscrowTooManyFeeSchemes();
        if (
            uint256(f.workerBps) + f.validatorBps + f.treasuryBps + f.burnBps != BPS || f.workerBps < MIN_WORKER_BPS
                || f.validatorBps > MAX_VALIDATOR_BPS || f.treasuryBps > MAX_TREASURY_BPS || f.burnBps > MAX_BURN_BPS
        ) revert TaskEscrowInvalidFeeScheme();
        id = uint8(_feeSchemes.length);
        _feeSchemes.push(f);
        emit FeeSchemeAdded(id, f.workerBps, f.validatorBps, f.treasuryBps, f.burnBps);
    }

    /// @dev Scheme `id`'s worker, validator and burn basis points, read from storage once per batch: `cache`
    /// (one word per scheme, zeroed) keeps `1 << 255 | burnBps << 32 | validatorBps << 16 | workerBps`.
    function _cachedFeeScheme(uint256[] memory cache, uint256 id)
        internal
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
}

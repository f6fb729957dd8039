// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ITaskEscrow} from "./ITaskEscrow.sol";

/// @title SettlementCodec
/// @notice Reads the packed `ITaskEscrow.TaskSettlement` (its layout is documented there), the contract
/// side of `packages/chain/src/settlement.ts`: `terms` holds the amount, the close flag and the share counts;
/// `shares` holds the worker then the validator shares, eight 32-bit `(account << 16) | weight` to a word.
library SettlementCodec {
    uint256 private constant AMOUNT_MASK = type(uint96).max;
    uint256 private constant CLOSE = 1 << 96;
    uint256 private constant WORKERS_SHIFT = 104;
    uint256 private constant VALIDATORS_SHIFT = 112;
    uint256 private constant KNOWN_BITS = AMOUNT_MASK | CLOSE | (0xffff << WORKERS_SHIFT);

    /// @dev The amount the settlement releases, in base units.
    function amount(uint256 terms) internal pure returns (uint256) {
        return terms & AMOUNT_MASK;
    }

    /// @dev Whether the settlement ends the task and returns what is left to the poster.
    function closes(uint256 terms) internal pure returns (bool) {
        return terms & CLOSE != 0;
    }

    /// @dev The number of worker shares and of validator shares.
    function counts(uint256 terms) internal pure returns (uint256 workers, uint256 validators) {
        return ((terms >> WORKERS_SHIFT) & 0xff, (terms >> VALIDATORS_SHIFT) & 0xff);
    }

    /// @dev Refuses a settlement whose terms set unknown bits, or whose shares are not exactly the words the
    /// `count` shares need with the unused bits zero, so that every settlement has one encoding.
    function checkEncoding(bytes32 taskId, uint256 terms, uint256[] calldata shares, uint256 count) internal pure {
        // count < 512: no overflow.
        if (terms & ~KNOWN_BITS != 0 || shares.length != (count + 7) >> 3) {
            revert ITaskEscrow.TaskEscrowMalformedSettlement(taskId);
        }
        uint256 used = count & 7;
        if (used != 0 && shares[shares.length - 1] >> (used << 5) != 0) {
            revert ITaskEscrow.TaskEscrowMalformedSettlement(taskId);
        }
    }

    /// @dev Share `k` (workers first, then validators): the index of its account in the batch and its weight.
    function share(uint256[] calldata shares, uint256 k) internal pure returns (uint256 index, uint256 weight) {
        uint256 bits = shares[k >> 3] >> ((k & 7) << 5);
        return ((bits >> 16) & 0xffff, bits & 0xffff);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title TrustCodec
/// @notice Reads the trust part of a settle batch, packed as `INodeRegistry.slashInBatch` and
/// `recordTaskResults` document it (`packages/chain/src/settlement.ts` writes it): a slash in one word, and
/// reputations sixteen 16-bit entries to a word, aligned with the batch's accounts.
library TrustCodec {
    uint256 private constant AMOUNT_MASK = type(uint96).max;
    uint256 private constant ACCOUNT_SHIFT = 96;
    uint256 private constant REASON_SHIFT = 112;
    uint256 private constant IN_BPS_BIT = 120;
    uint256 private constant BURN_BIT = 121;
    uint256 private constant BAN_BIT = 122;
    uint256 private constant SLASH_BITS = 123;
    uint256 private constant REPUTATION_SET_BIT = 15;
    uint256 private constant REPUTATIONS_PER_WORD = 16;
    uint256 private constant REPUTATION_BITS = 16;

    /// @dev A slash's fields: the index of its node in the batch's accounts, its `SlashReason`, its amount (in
    /// base units, or in basis points when `inBps`), and whether it burns and bans. `known` is false when the
    /// word sets bits no field uses.
    function slash(uint256 word)
        internal
        pure
        returns (uint256 index, uint256 reason, uint256 amount, bool inBps, bool burn, bool ban, bool known)
    {
        index = (word >> ACCOUNT_SHIFT) & 0xffff;
        reason = (word >> REASON_SHIFT) & 0xff;
        amount = word & AMOUNT_MASK;
        inBps = (word >> IN_BPS_BIT) & 1 != 0;
        burn = (word >> BURN_BIT) & 1 != 0;
        ban = (word >> BAN_BIT) & 1 != 0;
        known = word >> SLASH_BITS == 0;
    }

    /// @dev The number of words that hold one reputation entry for each of `count` accounts.
    function reputationWords(uint256 count) internal pure returns (uint256) {
        return (count + REPUTATIONS_PER_WORD - 1) / REPUTATIONS_PER_WORD;
    }

    /// @dev Entry `i` of `reputations`: zero when it leaves the reputation as it is.
    function reputationEntry(uint256[] calldata reputations, uint256 i) internal pure returns (uint256) {
        return (reputations[i / REPUTATIONS_PER_WORD] >> ((i % REPUTATIONS_PER_WORD) * REPUTATION_BITS)) & 0xffff;
    }

    /// @dev The reputation a non-zero entry stores, in basis points, and whether the entry is well formed
    /// (its set bit on: `0x8000 | bps`).
    function reputationBps(uint256 entry) internal pure returns (uint256 bps, bool wellFormed) {
        return (entry & ((1 << REPUTATION_SET_BIT) - 1), entry >> REPUTATION_SET_BIT == 1);
    }

    /// @dev The entries of the last word past `count` accounts, which must be zero (one encoding per batch).
    function unusedReputationBits(uint256[] calldata reputations, uint256 count) internal pure returns (uint256) {
        uint256 used = count % REPUTATIONS_PER_WORD;
        if (used == 0 || reputations.length == 0) return 0;
        return reputations[reputations.length - 1] >> (used * REPUTATION_BITS);
    }
}

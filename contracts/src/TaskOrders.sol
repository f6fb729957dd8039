// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {BitMaps} from "@openzeppelin/contracts/utils/structs/BitMaps.sol";
import {ITaskEscrow} from "./ITaskEscrow.sol";

/// @title TaskOrders
/// @notice Task orders a poster signs (EIP-712, domain "TaskEscrow" version 1) for the operator to relay.
/// Each order carries a nonce of the poster's choosing, usable once in any order (a bitmap, 256 nonces to a
/// slot), and an expiry.
abstract contract TaskOrders is ITaskEscrow, EIP712 {
    using BitMaps for BitMaps.BitMap;

    bytes32 private constant TASK_ORDER_TYPEHASH = keccak256(
        "TaskOrder(bytes32 taskId,uint96 amount,uint40 deadline,uint8 feeScheme,uint256 nonce,uint40 expiry)"
    );

    mapping(address poster => BitMaps.BitMap) private _usedNonces;

    constructor() EIP712("TaskEscrow", "1") {}

    /// @inheritdoc ITaskEscrow
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

    /// @inheritdoc ITaskEscrow
    function isNonceUsed(address poster, uint256 nonce) external view returns (bool) {
        return _usedNonces[poster].get(nonce);
    }

    /// @dev Accepts `order` as `poster`'s: not expired, its nonce unused (then used), signed by `poster`.
    function _useOrder(address poster, TaskOrder calldata order, bytes calldata signature) internal {
        if (block.timestamp > order.expiry) revert TaskEscrowOrderExpired(order.taskId, order.expiry);
        BitMaps.BitMap storage used = _usedNonces[poster];
        if (used.get(order.nonce)) revert TaskEscrowNonceUsed(poster, order.nonce);
        used.set(order.nonce);
        if (!SignatureChecker.isValidSignatureNow(poster, hashTaskOrder(order), signature)) {
            revert TaskEscrowInvalidSignature(order.taskId);
        }
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {ITaskEscrow} from "./ITaskEscrow.sol";

/// @title JobRecords
/// @notice The Merkle root of each settle batch's job records (task, job, worker, result hash, verdict), so
/// every worker can prove what it was paid for. Leaves are encoded as OpenZeppelin's StandardMerkleTree
/// encodes them and pairs hashed sorted, as OpenZeppelin's MerkleProof verifies them
/// (`packages/core/src/merkle.ts` builds the trees and proofs).
abstract contract JobRecords is ITaskEscrow {
    mapping(bytes32 batchId => bytes32 jobsRoot) private _batchRoots;

    /// @inheritdoc ITaskEscrow
    function jobRecordLeaf(bytes32 taskId, bytes32 jobId, address worker, bytes32 resultHash, uint8 verdict)
        external
        pure
        returns (bytes32)
    {
        return keccak256(bytes.concat(keccak256(abi.encode(taskId, jobId, worker, resultHash, verdict))));
    }

    /// @inheritdoc ITaskEscrow
    function verifyJobRecord(bytes32 batchId, bytes32 leaf, bytes32[] calldata proof) external view returns (bool) {
        bytes32 root = _batchRoots[batchId];
        return root != bytes32(0) && MerkleProof.verifyCalldata(proof, root, leaf);
    }

    /// @inheritdoc ITaskEscrow
    function batchRoot(bytes32 batchId) external view returns (bytes32) {
        return _batchRoots[batchId];
    }

    /// @dev Anchors batch `batchId`'s job records; a batch is settled once, and always with a root.
    function _recordBatch(bytes32 batchId, bytes32 jobsRoot) internal {
        if (jobsRoot == bytes32(0)) revert TaskEscrowEmptyRoot();
        if (_batchRoots[batchId] != bytes32(0)) revert TaskEscrowBatchAlreadySettled(batchId);
        _batchRoots[batchId] = jobsRoot;
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title INodeRegistry
/// @notice What the escrow needs from the node registry: writing each batch's task outcomes.
interface INodeRegistry {
    /// @notice Adds `completed[i]` finished and `failed[i]` rejected tasks to `nodes[i]`'s counters.
    function recordTaskResults(address[] calldata nodes, uint32[] calldata completed, uint32[] calldata failed)
        external;
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {INodeRegistry} from "./INodeRegistry.sol";

/// @title NodeRecords
/// @notice What the parts of the node registry share: the stake token, the roles, the nodes' records and the
/// bounded parameter updates. `NodeChallenges` and `PartnerBonds` build on it; `NodeRegistry` puts them together.
abstract contract NodeRecords is INodeRegistry, AccessControl, ReentrancyGuardTransient {
    /// @notice Role that slashes stake (the escrow, for settle batches, and the operator; the dispute court later).
    bytes32 public constant SLASHER_ROLE = keccak256("SLASHER_ROLE");
    /// @notice Role that writes task outcomes and reputations (the escrow).
    bytes32 public constant RECORDER_ROLE = keccak256("RECORDER_ROLE");
    /// @notice Role that may challenge any node (a node may always challenge itself).
    bytes32 public constant CHALLENGER_ROLE = keccak256("CHALLENGER_ROLE");
    /// @notice Role that sets cooldowns, PoW difficulty and window, and the treasury (later the timelock).
    bytes32 public constant PARAMS_ROLE = keccak256("PARAMS_ROLE");
    /// @notice A whole, in basis points.
    uint256 public constant BPS = 10_000;

    IERC20 private immutable _token;

    mapping(address node => Node) private _nodes;

    constructor(IERC20 token_) {
        _token = token_;
    }

    /// @inheritdoc INodeRegistry
    function getNode(address nodeAddress) external view returns (Node memory) {
        return _nodes[nodeAddress];
    }

    /// @inheritdoc INodeRegistry
    function token() public view returns (IERC20) {
        return _token;
    }

    /// @dev A node's record, registered or not.
    function _node(address nodeAddress) internal view returns (Node storage) {
        return _nodes[nodeAddress];
    }

    /// @dev A registered node's record; reverts for any other address.
    function _registered(address nodeAddress) internal view returns (Node storage node) {
        node = _nodes[nodeAddress];
        if (!node.registered) revert NodeRegistryNotRegistered(nodeAddress);
    }

    /// @dev Splits `amount` into what comes from `first` and what then comes from `second`, each at most what it
    /// holds (a slash takes from a balance, then from its withdrawal queue).
    function _split(uint256 amount, uint256 first, uint256 second)
        internal
        pure
        returns (uint256 fromFirst, uint256 fromSecond)
    {
        fromFirst = amount < first ? amount : first;
        uint256 rest = amount - fromFirst;
        fromSecond = rest < second ? rest : second;
    }

    /// @dev Checks `value` against [min, max] and announces the change of parameter `name` from `old`; returns
    /// `value` for the caller to store.
    function _parameter(bytes32 name, uint256 old, uint256 value, uint256 min, uint256 max)
        internal
        returns (uint256)
    {
        if (value < min || value > max) revert NodeRegistryParameterOutOfBounds(name, value);
        emit ParameterUpdated(name, old, value);
        return value;
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {TaskToken} from "./TaskToken.sol";

/// @title TokenSale
/// @notice Sells newly minted TaskTokens for ETH at a fixed price; the ETH goes straight to the
/// treasury. On a local development chain (chain id 31337) it also runs a faucet.
contract TokenSale is AccessControl, ReentrancyGuardTransient {
    /// @notice Role allowed to change the price and the treasury (later the governance timelock).
    bytes32 public constant PARAMS_ROLE = keccak256("PARAMS_ROLE");

    /// @notice Chain id of anvil / hardhat: the only chain where the faucet works.
    uint256 public constant LOCAL_CHAIN_ID = 31337;

    /// @notice Most tokens one faucet call hands out.
    uint256 public constant FAUCET_LIMIT = 100_000e18;

    /// @notice Lowest price, in wei per whole token.
    uint256 public constant MIN_PRICE = 1;
    /// @notice Highest price, in wei per whole token.
    uint256 public constant MAX_PRICE = 1_000 ether;

    TaskToken private immutable _token;
    address private _treasury;
    uint256 private _price;

    /// @notice Emitted when `buyer` paid `paid` wei for `amount` tokens sent to `recipient`.
    event TokensPurchased(address indexed buyer, address indexed recipient, uint256 paid, uint256 amount);
    /// @notice Emitted when the price changed.
    event PriceUpdated(uint256 oldPrice, uint256 newPrice);
    /// @notice Emitted when the treasury changed.
    event TreasuryUpdated(address oldTreasury, address newTreasury);
    /// @notice Emitted when the faucet gave `amount` tokens to `recipient`.
    event FaucetDripped(address indexed recipient, uint256 amount);

    error TokenSaleZeroAmount();
    error TokenSaleZeroAddress();
    error TokenSalePriceOutOfBounds(uint256 price);
    error TokenSaleFaucetDisabled(uint256 chainId);
    error TokenSaleFaucetLimitExceeded(uint256 amount, uint256 limit);
    error TokenSaleTreasuryTransferFailed();

    /// @param token_ The token this sale mints (the sale needs its MINTER_ROLE).
    /// @param admin Account that receives DEFAULT_ADMIN_ROLE and PARAMS_ROLE.
    /// @param treasury_ Where the ETH goes.
    /// @param price_ Wei per whole token.
    constructor(TaskToken token_, address admin, address treasury_, uint256 price_) {
        if (treasury_ == address(0) || admin == address(0)) revert TokenSaleZeroAddress();
        _checkPrice(price_);
        _token = token_;
        _treasury = treasury_;
        _price = price_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PARAMS_ROLE, admin);
    }

    /// @notice The token sold.
    function token() external view returns (TaskToken) {
        return _token;
    }

    /// @notice Where the ETH goes.
    function treasury() external view returns (address) {
        return _treasury;
    }

    /// @notice Wei per whole token.
    function price() external view returns (uint256) {
        return _price;
    }

    /// @notice Tokens (in base units) that `weiAmount` buys at the current price.
    function quote(uint256 weiAmount) public view returns (uint256) {
        return (weiAmount * 1e18) / _price;
    }

    /// @notice Buys tokens with the ETH sent, for `recipient`.
    /// @return amount Tokens minted, in base units.
    function buy(address recipient) external payable nonReentrant returns (uint256 amount) {
        if (recipient == address(0)) revert TokenSaleZeroAddress();
        amount = quote(msg.value);
        if (amount == 0) revert TokenSaleZeroAmount();
        _token.mint(recipient, amount);
        emit TokensPurchased(msg.sender, recipient, msg.value, amount);
        (bool ok,) = _treasury.call{value: msg.value}("");
        if (!ok) revert TokenSaleTreasuryTransferFailed();
    }

    /// @notice Mints up to FAUCET_LIMIT tokens to `recipient`; only on the local chain.
    function faucet(address recipient, uint256 amount) external {
        if (block.chainid != LOCAL_CHAIN_ID) revert TokenSaleFaucetDisabled(block.chainid);
        if (recipient == address(0)) revert TokenSaleZeroAddress();
        if (amount == 0) revert TokenSaleZeroAmount();
        if (amount > FAUCET_LIMIT) revert TokenSaleFaucetLimitExceeded(amount, FAUCET_LIMIT);
        _token.mint(recipient, amount);
        emit FaucetDripped(recipient, amount);
    }

    /// @notice Sets the price in wei per whole token, within [MIN_PRICE, MAX_PRICE].
    function setPrice(uint256 newPrice) external onlyRole(PARAMS_ROLE) {
        _checkPrice(newPrice);
        uint256 old = _price;
        _price = newPrice;
        emit PriceUpdated(old, newPrice);
    }

    /// @notice Sets where the ETH goes.
    function setTreasury(address newTreasury) external onlyRole(PARAMS_ROLE) {
        if (newTreasury == address(0)) revert TokenSaleZeroAddress();
        address old = _treasury;
        _treasury = newTreasury;
        emit TreasuryUpdated(old, newTreasury);
    }

    function _checkPrice(uint256 p) private pure {
        if (p < MIN_PRICE || p > MAX_PRICE) revert TokenSalePriceOutOfBounds(p);
    }
}

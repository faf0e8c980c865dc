"""Lean's enums (Common/Global.cs, Common/Orders/OrderTypes.cs): IntEnum values match Lean's integers."""
from __future__ import annotations

from enum import IntEnum

from pylean.naming import to_pascal


class _LeanIntEnum(IntEnum):
    """An IntEnum that also answers to Lean's PascalCase member names (`Resolution.Minute`)."""

    @classmethod
    def _missing_(cls, value: object) -> "_LeanIntEnum | None":
        if isinstance(value, str):
            for member in cls:
                if member.name == value.upper() or to_pascal(member.name.lower()) == value:
                    return member
        return None

    def __str__(self) -> str:
        return to_pascal(self.name.lower())


def _add_pascal_aliases(enum_cls: type[IntEnum]) -> None:
    for member in list(enum_cls):
        alias = to_pascal(member.name.lower())
        if alias != member.name and alias not in enum_cls.__dict__:
            type.__setattr__(enum_cls, alias, member)


class Resolution(_LeanIntEnum):
    TICK = 0
    SECOND = 1
    MINUTE = 2
    HOUR = 3
    DAILY = 4


class SecurityType(_LeanIntEnum):
    BASE = 0
    EQUITY = 1
    OPTION = 2
    COMMODITY = 3
    FOREX = 4
    FUTURE = 5
    CFD = 6
    CRYPTO = 7


class OrderType(_LeanIntEnum):
    MARKET = 0
    LIMIT = 1
    STOP_MARKET = 2
    STOP_LIMIT = 3
    MARKET_ON_OPEN = 4
    MARKET_ON_CLOSE = 5
    OPTION_EXERCISE = 6
    LIMIT_IF_TOUCHED = 7
    COMBO_MARKET = 8
    COMBO_LIMIT = 9
    COMBO_LEG_LIMIT = 10
    TRAILING_STOP = 11


class OrderStatus(_LeanIntEnum):
    NEW = 0
    SUBMITTED = 1
    PARTIALLY_FILLED = 2
    FILLED = 3
    CANCELED = 5
    NONE = 6
    INVALID = 7
    CANCEL_PENDING = 8
    UPDATE_SUBMITTED = 9

    @property
    def is_closed(self) -> bool:
        return self in CLOSED_STATUSES  # asked for every resting order at every brokerage scan

    @property
    def is_open(self) -> bool:
        return not self.is_closed and self is not OrderStatus.NONE


CLOSED_STATUSES = frozenset((OrderStatus.FILLED, OrderStatus.CANCELED, OrderStatus.INVALID))


class OrderDirection(_LeanIntEnum):
    BUY = 0
    SELL = 1
    HOLD = 2


class DataNormalizationMode(_LeanIntEnum):
    RAW = 0
    ADJUSTED = 1
    SPLIT_ADJUSTED = 2
    TOTAL_RETURN = 3
    FORWARD_PANAMA_CANAL = 4
    BACKWARDS_PANAMA_CANAL = 5
    BACKWARDS_RATIO = 6
    SCALED_RAW = 7


class AccountType(_LeanIntEnum):
    MARGIN = 0
    CASH = 1


class BrokerageName(_LeanIntEnum):
    DEFAULT = 0
    QUANT_CONNECT_BROKERAGE = 0
    INTERACTIVE_BROKERS_BROKERAGE = 1
    ALPHA_STREAMS = 14
    AXOS = 31


class TickType(_LeanIntEnum):
    TRADE = 0
    QUOTE = 1
    OPEN_INTEREST = 2


class DataMappingMode(_LeanIntEnum):
    LAST_TRADING_DAY = 0
    FIRST_DAY_MONTH = 1
    OPEN_INTEREST = 2


for _enum in (Resolution, SecurityType, OrderType, OrderStatus, OrderDirection, DataNormalizationMode,
              AccountType, BrokerageName, TickType, DataMappingMode):
    _add_pascal_aliases(_enum)


class Market:
    """Market names are plain lower-case strings in Lean (`Market.USA == "usa"`)."""

    USA = "usa"
    Usa = "usa"


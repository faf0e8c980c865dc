"""Lean's data consolidators (Common/Data/Consolidators/) and the SubscriptionManager that feeds them."""
from pylean.consolidators.bars import QuoteBarConsolidator, TradeBarConsolidator
from pylean.consolidators.base import ConsolidatorBase, IdentityDataConsolidator
from pylean.consolidators.calendar import Calendar, CalendarInfo
from pylean.consolidators.manager import SubscriptionManager
from pylean.consolidators.market_hours import MarketHourAwareConsolidator
from pylean.consolidators.period import PeriodCountConsolidatorBase

__all__ = ["Calendar", "CalendarInfo", "ConsolidatorBase", "IdentityDataConsolidator", "MarketHourAwareConsolidator",
           "PeriodCountConsolidatorBase", "QuoteBarConsolidator", "SubscriptionManager", "TradeBarConsolidator"]

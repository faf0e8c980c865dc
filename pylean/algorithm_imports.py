"""What `from AlgorithmImports import *` gives an algorithm run by pylean (Lean: Common/AlgorithmImports.py).

The launcher installs this module under the name `AlgorithmImports` in `sys.modules` for the
duration of a run only; no top-level `AlgorithmImports` package is installed (quantconnect-stubs
owns that name for type checking).
"""
# ruff: noqa: F401  (this module exists to re-export names)
from __future__ import annotations

import datetime as _datetime_module
import json
import math
import os
import sys
from datetime import date, datetime, time, timedelta
from typing import *  # noqa: F403  (Lean's AlgorithmImports gives typing's names: List, Iterable, ...)

import numpy as np

from pylean.algorithm import AlgorithmSettings, QCAlgorithm
from pylean.algorithm_trading import PortfolioTarget
from pylean.consolidators import (Calendar, CalendarInfo, IdentityDataConsolidator, MarketHourAwareConsolidator,
                                  QuoteBarConsolidator, TradeBarConsolidator)
from pylean.data.market_data import Bar, QuoteBar, TradeBar
from pylean.indicators import (AverageTrueRange, BollingerBands, CompositeIndicator, ExponentialMovingAverage, Field,
                               Identity, IndicatorBase, IndicatorDataPoint, IndicatorExtensions, IndicatorResult,
                               IndicatorStatus, IntradayVwap, Maximum, Minimum, MovingAverageConvergenceDivergence,
                               MovingAverageType, RateOfChange, RelativeStrengthIndex, RollingWindow,
                               SimpleMovingAverage, StandardDeviation, Sum, TrueRange, Variance,
                               VolumeWeightedAveragePriceIndicator, WilderMovingAverage)
from pylean.data.slice import QuoteBars, Slice, TradeBars
from pylean.enums import (AccountType, BrokerageName, DataNormalizationMode, Market, OrderDirection, OrderStatus,
                          OrderType, Resolution, SecurityType, TickType)
from pylean.orders.buying_power import BuyingPowerModel, SecurityMarginModel
from pylean.orders.fill_model import Prices
from pylean.orders.requests import (CancelOrderRequest, OrderRequestStatus, OrderResponseErrorCode,
                                    UpdateOrderRequest)
from pylean.orders.fees import (ConstantFeeModel, ConstantSlippageModel, FeeModel, InteractiveBrokersFeeModel,
                                NullSlippageModel, OrderFeeParameters)
from pylean.orders.fills import EquityFillModel, FillModel, ImmediateFillModel
from pylean.orders.tickets import OrderField, OrderResponse, OrderTicket, SubmitOrderRequest, UpdateOrderFields
from pylean.orders.types import (CashAmount, LimitIfTouchedOrder, LimitOrder, MarketOnCloseOrder, MarketOnOpenOrder,
                                 MarketOrder, Order, OrderEvent, OrderFee, OrderProperties, StopLimitOrder,
                                 StopMarketOrder, TimeInForce, TrailingStopOrder)
from pylean.scheduling_rules import DayOfWeek
from pylean.securities import Security, SecurityHolding
from pylean.symbols import SecurityIdentifier, Symbol

from pylean.algorithm_extras import AlgorithmMode, DeploymentTarget  # noqa: E402
from pylean.extensions import Extensions  # noqa: E402
from pylean.models.interest_rate import FuncRiskFreeRateInterestRateModel  # noqa: E402
from pylean.symbol_cache import SymbolCache  # noqa: E402
from pylean.system_random import Random  # noqa: E402
from pylean.circular_queue import CircularQueue  # noqa: E402
from pylean.brokerages import DefaultBrokerageModel, FuncBenchmark, SecurityBenchmark  # noqa: E402
from pylean.orders.brokerage import FillModelParameters  # noqa: E402
from pylean.data.tick import Tick  # noqa: E402
from pylean.orders.fill_result import Fill  # noqa: E402
from pylean.data.renko_bar import BarDirection, RenkoBar, RenkoType  # noqa: E402
from pylean.consolidators.renko import ClassicRenkoConsolidator  # noqa: E402
from pylean.indicators.python_indicator import PythonIndicator  # noqa: E402
from pylean.data.corporate_events import Dividend, Split, SplitType  # noqa: E402
from pylean.framework.exports import *  # noqa: E402,F403  (the algorithm framework)
from pylean.lean_time import Math, Time  # noqa: E402
from pylean.position_side import PositionSide  # noqa: E402
from pylean.indicators.basic import ConstantIndicator  # noqa: E402
from pylean.framework.models import *  # noqa: E402,F403  (the concrete framework models)
from pylean.orders.reserved_buying_power import (ReservedBuyingPowerForPosition,  # noqa: E402
                                                ReservedBuyingPowerForPositionParameters)
from pylean.orders.buying_power import (HasSufficientBuyingPowerForOrderParameters,  # noqa: E402
                                        HasSufficientBuyingPowerForOrderResult)
from pylean.models.shortable import LocalDiskShortableProvider, NullShortableProvider  # noqa: E402
from pylean.indicators.lean_extra import Delay, FunctionalIndicator, Stochastic  # noqa: E402
from pylean.orders.buying_power_api import (GetMaximumOrderQuantityForTargetBuyingPowerParameters,  # noqa: E402
                                            GetMaximumOrderQuantityResult, MaintenanceMargin,
                                            MaintenanceMarginParameters)
from pylean.consolidators.timeless import (ClassicRangeConsolidator, RangeConsolidator,  # noqa: E402
                                          RenkoConsolidator, VolumeRenkoConsolidator, WickedRenkoConsolidator)
from pylean.consolidators.base_data import BaseDataConsolidator  # noqa: E402
from pylean.data.range_bars import RangeBar, VolumeRenkoBar  # noqa: E402
from pylean.data.base_data import BaseData  # noqa: E402
from pylean.indicators.swing import MassIndex, WilderAccumulativeSwingIndex, WilderSwingIndex  # noqa: E402
from pylean.indicators.beta import Beta  # noqa: E402
from pylean.indicators.arima import AutoRegressiveIntegratedMovingAverage  # noqa: E402
from pylean.indicators.advance_decline import (AdvanceDeclineRatio, AdvanceDeclineVolumeRatio,  # noqa: E402
                                               ArmsIndex)
from pylean.models.volatility import (BaseVolatilityModel, IndicatorVolatilityModel,  # noqa: E402
                                     VolatilityModel, VolatilityModelExtensions)
from pylean.regression_exception import RegressionTestException  # noqa: E402
from pylean.orders.slippage_models import MarketImpactSlippageModel, VolumeShareSlippageModel  # noqa: E402
from pylean.orders.combo import (ComboLegLimitOrder, ComboLimitOrder, ComboMarketOrder,  # noqa: E402
                                 GroupOrderManager, Leg)

from pylean.signal_exports import (Collective2SignalExport, CrunchDAOSignalExport, NumeraiSignalExport,  # noqa: E402
                                   SignalExportManager, VBaseSignalExport)
from pylean.securities_session import Session, SessionBar  # noqa: E402
from pylean.data.data_filter import SecurityDataFilter  # noqa: E402
from pylean.algorithm_statistics import PerformanceMetrics  # noqa: E402
from pylean.data.file_providers import (CorporateFactorProvider, DefaultDataProvider,  # noqa: E402
                                        LocalDiskFactorFileProvider, LocalDiskMapFileProvider)
from pylean.data.delisting import Delisting, DelistingType  # noqa: E402
from pylean.security_seeding import (BrokerageModelSecurityInitializer, FuncSecuritySeeder,  # noqa: E402
                                    NullSecuritySeeder, SecuritySeeder)
from pylean.models.margin_interest import (ConvertibleCashAmount, MarginInterestRateModel,  # noqa: E402
                                           MarginInterestRateParameters, NullMarginInterestRateModel,
                                           ShortMarginInterestRateModel)
from pylean.dotnet.system import *  # noqa: E402,F403  Lean's AlgorithmImports does `from System import *`
from pylean.dotnet.python_names import *  # noqa: E402,F403  os, sys, json, pd, typing's names, as Lean's

from pylean.universe import (ConstituentsUniverse, ConstituentsUniverseData, CustomUniverseSelectionModel,  # noqa: E402
                             ETFConstituentData, ETFConstituentsUniverseSelectionModel, ETFConstituentUniverse,
                             InceptionDateUniverseSelectionModel, ScheduledUniverse, ScheduledUniverseSelectionModel,
                             Universe, UniverseDefinitions)
from pylean.universe import (CoarseFundamental, CoarseFundamentalUniverseSelectionModel, Fundamental,  # noqa: E402
                             FundamentalUniverse, FundamentalUniverseSelectionModel, CoarseFundamentalUniverse,
                             FineFundamentalFilteredUniverse, FundamentalUniverseFactory)
from pylean.runtime import SecurityChanges  # noqa: E402
from pylean.auxiliary_handlers import Delistings, Dividends, Splits, SymbolChangedEvents  # noqa: E402
from pylean.data.symbol_changes import SymbolChangedEvent  # noqa: E402

QCAlgorithmFramework = QCAlgorithmFrameworkBridge = QCAlgorithm  # Lean's aliases of the framework era

__all__ = [name for name in dir() if not name.startswith("_")]

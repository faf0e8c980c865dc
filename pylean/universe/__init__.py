"""Universe selection: universes, their selection times and the securities they add and remove."""
from pylean.universe.api import UniverseDefinitions, UniverseMixin
from pylean.universe.base import Universe
from pylean.universe.file_universes import (ConstituentsUniverse, ConstituentsUniverseData, ETFConstituentData,
                                            ETFConstituentsUniverse, ETFConstituentUniverse,
                                            generate_constituent_identifier)
from pylean.universe.fundamental import (CoarseFundamental, CoarseFundamentalUniverse, FineFundamentalFilteredUniverse,
                                         Fundamental, FundamentalUniverse, FundamentalUniverseFactory)
from pylean.universe.models import (CoarseFundamentalUniverseSelectionModel, CustomUniverseSelectionModel,
                                    ETFConstituentsUniverseSelectionModel, FundamentalUniverseSelectionModel,
                                    InceptionDateUniverseSelectionModel, ScheduledUniverseSelectionModel)
from pylean.universe.user_defined import ScheduledUniverse, UserDefinedUniverse

__all__ = ["CoarseFundamental", "CoarseFundamentalUniverse", "FineFundamentalFilteredUniverse",
           "FundamentalUniverseFactory", "CoarseFundamentalUniverseSelectionModel", "Fundamental", "FundamentalUniverse",
           "FundamentalUniverseSelectionModel", "ConstituentsUniverse", "CustomUniverseSelectionModel", "ETFConstituentsUniverseSelectionModel",
           "InceptionDateUniverseSelectionModel", "ScheduledUniverseSelectionModel", "ConstituentsUniverseData", "ETFConstituentData", "ETFConstituentUniverse",
           "ETFConstituentsUniverse", "ScheduledUniverse", "Universe", "UniverseDefinitions", "UniverseMixin",
           "UserDefinedUniverse", "generate_constituent_identifier"]

from pylean.symbols import SecurityIdentifier as _SecurityIdentifier  # noqa: E402

# SecurityIdentifier.GenerateConstituentIdentifier, which ConstituentsUniverse algorithms call
_SecurityIdentifier.generate_constituent_identifier = staticmethod(generate_constituent_identifier)  # type: ignore[attr-defined]
_SecurityIdentifier.GenerateConstituentIdentifier = staticmethod(generate_constituent_identifier)  # type: ignore[attr-defined]

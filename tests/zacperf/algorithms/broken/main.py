# A stand-in whose initialize fails (tests the error path).
from AlgorithmImports import *


class BrokenAlgorithm(QCAlgorithm):
    def initialize(self):
        self.set_start_date(2025, 10, 1)
        self.set_end_date(2025, 10, 1)
        self.add_equity("AAPL", Resolution.MINUTE)
        raise ValueError("stand-in failure in initialize")

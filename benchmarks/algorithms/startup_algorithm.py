"""Benchmark: process start to the first on_data. At the first call it reports which heavy
modules were already imported (pandas should be imported only by algorithms that use it)."""
import json
import sys

from AlgorithmImports import *
from bench_setup import configure

HEAVY_MODULES = ("pandas", "scipy", "matplotlib", "pyarrow")


class StartupBenchmarkAlgorithm(QCAlgorithm):
    def initialize(self) -> None:
        configure(self, start="20251001", end="20251001")
        self._reported = False

    def on_data(self, data: Slice) -> None:
        if not self._reported:
            self._reported = True
            loaded = [name for name in HEAVY_MODULES if name in sys.modules]
            self.debug("BENCH_JSON " + json.dumps({"heavy_modules_loaded": loaded}))

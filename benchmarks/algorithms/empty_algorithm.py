"""Benchmark: an algorithm that does nothing. on_data is still called at every time step (the
engine never inspects the algorithm to skip calls), so this measures the engine's own loop."""
from AlgorithmImports import *
from bench_setup import configure


class EmptyBenchmarkAlgorithm(QCAlgorithm):
    def initialize(self) -> None:
        configure(self)

    def on_data(self, data: Slice) -> None:
        pass

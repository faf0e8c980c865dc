"""Benchmark: read the close of every trade bar of every slice (each bar object is built)."""
from AlgorithmImports import *
from bench_setup import configure


class ReadBarsBenchmarkAlgorithm(QCAlgorithm):
    def initialize(self) -> None:
        configure(self)

    def on_data(self, data: Slice) -> None:
        for bar in data.bars.values():
            bar.close  # noqa: B018 - the read is the benchmark

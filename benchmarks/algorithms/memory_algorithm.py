"""Benchmark: memory over a long run. At the first on_data of each trading day it records the
process's current RSS (psutil), its peak RSS so far (getrusage), the wall clock and, on Linux,
the anonymous and file-backed parts of RSS; at the end it logs them all in one debug line
`BENCH_JSON {...}` that the runner reads from the algorithm's log file. Otherwise it does nothing."""
import json
import resource
import sys
from time import perf_counter  # not `import time`: AlgorithmImports exports datetime.time

import psutil
from AlgorithmImports import *
from bench_setup import configure


class MemoryBenchmarkAlgorithm(QCAlgorithm):
    def initialize(self) -> None:
        configure(self)
        self._process = psutil.Process()
        self._day = None
        # per trading day: [yyyy-mm-dd, rss_bytes, peak_rss_bytes, perf_counter_s, rss_anon_bytes, rss_file_bytes]
        self._samples = []

    def _peak(self) -> int:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024

    def _rss_parts(self) -> list:
        """[RssAnon, RssFile] in bytes from /proc/self/status ([0, 0] elsewhere)."""
        parts = {"RssAnon:": 0, "RssFile:": 0}
        try:
            with open("/proc/self/status") as status:
                for line in status:
                    name = line.split(None, 1)[0]
                    if name in parts:
                        parts[name] = int(line.split()[1]) * 1024
        except OSError:
            pass
        return [parts["RssAnon:"], parts["RssFile:"]]

    def on_data(self, data: Slice) -> None:
        day = data.time.date()
        if day != self._day:
            self._day = day
            self._samples.append([day.isoformat(), self._process.memory_info().rss, self._peak(), perf_counter(),
                                  *self._rss_parts()])

    def on_end_of_algorithm(self) -> None:
        end = [self._process.memory_info().rss, self._peak(), perf_counter(), *self._rss_parts()]
        self.debug("BENCH_JSON " + json.dumps({"days": self._samples, "end": end}))

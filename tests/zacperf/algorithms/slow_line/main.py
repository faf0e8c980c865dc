# A toy for the profiler's tests: one deliberately slow line (the sort), reached through a helper, so the line
# that calls the helper looks just as slow to line_profiler; ranked by own time, the sort must come first.
from AlgorithmImports import *


class SlowLineAlgorithm(QCAlgorithm):
    def initialize(self):
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 7)
        self.add_equity("SPY", Resolution.MINUTE)
        self.values = [float((i * 7919) % 10007) for i in range(int(self.get_parameter("size", "6000")))]
        self.steps = 0

    def on_data(self, data):
        self.steps += 1
        self.update_state(data)

    def update_state(self, data):
        self.doubled = self.steps * 2
        self.ranked = sorted(self.values, reverse=True)  # the deliberately slow line
        self.next = self.doubled + 1

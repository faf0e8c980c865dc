# A toy for the profiler's tests, in the original PascalCase style: on_data is cheap, a 5-minute consolidator's
# handler is heavy; the profile must show the time under that handler.
from AlgorithmImports import *


class HeavyConsolidatorAlgorithm(QCAlgorithm):
    def Initialize(self):
        self.SetStartDate(2013, 10, 7)
        self.SetEndDate(2013, 10, 7)
        self.AddEquity("SPY", Resolution.Minute)
        self.values = [float((i * 7919) % 10007) for i in range(40000)]
        self.seen = 0
        consolidator = TradeBarConsolidator(timedelta(minutes=5))
        consolidator.DataConsolidated += self.OnFiveMinutes
        self.SubscriptionManager.AddConsolidator("SPY", consolidator)

    def OnData(self, data):
        self.seen += 1

    def OnFiveMinutes(self, sender, bar):
        self.ranked = sorted(self.values)  # the heavy handler
        self.last_close = bar.Close

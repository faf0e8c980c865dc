"""Summary statistics rebuilt by hand from the spec §9 facts and Lean's sample data (pylean/statistics/summary.py)."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from pylean.statistics.capacity import CapacityBar, CapacityEstimate
from pylean.statistics.dotnet import json_round4, net_div, net_mul, net_sub, round_decimal, smart_round
from pylean.statistics.portfolio_statistics import PortfolioStatistics
from pylean.statistics.summary import (
    StatisticsInputs,
    benchmark_differences,
    build_statistics,
    performance_values,
    period_ranges,
    runtime_statistics,
    summary_strings,
)

SID = "SPY R735QTJ8XC9X"
RF = lambda _d: D("0.0075")  # noqa: E731  (interest-rate.csv: 0.75 % from 2010-02-19 to 2015-12-16)


def _oracle(shared: Path, name: str) -> dict[str, str]:
    expected = json.loads((shared / "oracle" / "lean-regression.json").read_text())["algorithms"][name]
    stats = dict(expected["expected_statistics"])
    stats.pop("OrderListHash")
    return stats


# ----------------------------------------------------------------------------- BasicTemplateAlgorithm (§9)

def _basic_template(spy: Any, with_intraday: bool = True) -> StatisticsInputs:
    """SPY minute Oct 7-11 2013: 688 shares bought at 09:31 Oct 7 at the ask, held to the end."""
    ny = spy.ny
    hour = spy.hour_closes()
    times = [ny(2013, 10, d) for d in (7, 8, 9, 10, 11)] + [ny(2013, 10, 11, 16)]
    # daily samples: midnight values carry the previous session (§4.2); benchmark = last hourly SPY close
    bench_bars = ["20131004 15:00", "20131007 15:00", "20131008 15:00", "20131009 15:00", "20131010 15:00",
                  "20131011 15:00"]
    benchmark = [(t, smart_round(spy.adjusted(hour[k]))) for t, k in zip(times, bench_bars, strict=True)]
    daily_equity = ["100000", "99978.71", "98824.68", "98878.22", "101061.36", "101691.92"]
    performance = ["0", "-0.02129", "-1.15428", "0.0541744", "2.207916", "0.6239327"]  # § 9 step 4 (day 1 dropped)
    equity = [(t, D(v)) for t, v in zip(times, daily_equity, strict=True)]
    fill_price = spy.adjusted("1674500")  # 09:30 quote bar ask close
    cash = D(100000) - 688 * fill_price - D("3.44")
    if with_intraday:  # intraday equity candles every 5 minutes (first step, then strictly > last + 4 min)
        next_sample: datetime | None = None
        for day in ("20131007", "20131008", "20131009", "20131010", "20131011"):
            for end, row in spy.minute_trade_rows(day):
                if next_sample is None or end > next_sample:
                    next_sample = end + timedelta(minutes=4)
                    tpv = cash + 688 * spy.adjusted(row[4])
                    equity.append((end, smart_round(round_decimal(tpv, 4))))
        equity = sorted(equity)
    oct7_close_tpv = cash + 688 * spy.adjusted(hour["20131007 15:00"])
    turnover = [(times[1], smart_round(net_div(688 * fill_price, oct7_close_tpv)))] + [(t, D(0)) for t in times[2:]]
    return StatisticsInputs(
        equity=equity, performance=[(t, D(v)) for t, v in zip(times, performance, strict=True)], benchmark=benchmark,
        portfolio_turnover=turnover, profit_loss=[], starting_capital=D(100000), total_fees=D("3.44"),
        total_orders=1, capacity=_basic_template_capacity(spy, cash), lowest_capacity_asset=SID,
        risk_free_rate=RF, closed_trades=[])


def _basic_template_capacity(spy: Any, cash: D) -> D | None:
    ny = spy.ny
    cap = CapacityEstimate(datetime(2013, 10, 7), datetime(2013, 10, 11, 23, 59, 59, 999999))
    fill_value = 688 * spy.adjusted("1674500")
    held, tpv, last = D(0), D(100000), ny(2013, 10, 7)
    for day in ("20131007", "20131008", "20131009", "20131010", "20131011"):
        for end, row in spy.minute_trade_rows(day):
            bar = CapacityBar(timedelta(minutes=1), end, spy.adjusted(row[4]), spy.adjusted_volume(row[5]))
            if end == ny(2013, 10, 7, 9, 31):
                cap.on_fill("SPY", end, fill_value)
            if end >= ny(2013, 10, 7, 9, 31):
                held = 688 * bar.close
                tpv = cash + held
            cap.on_step(end, lambda s, b=bar: b, lambda s, h=held: h, tpv)
            last = end
    cap.finalize(last, lambda s: held, tpv)
    return cap.capacity


def test_basic_template_lists_match_spec_section_9(spy: Any) -> None:
    inputs = _basic_template(spy, with_intraday=False)
    start, end = date(2013, 10, 7), date(2013, 10, 11)
    bench = benchmark_differences(inputs.benchmark, start, end)
    assert [round(b, 10) for b in bench] == [-0.0115877913, 0.0005437578, 0.0221659977, 0.0062632663]
    assert performance_values(inputs.performance) == [-0.0115428, 0.000541744, 0.02207916, 0.006239327]


def test_basic_template_algorithm_summary(spy: Any, shared: Path) -> None:
    result = build_statistics(_basic_template(spy))
    assert result.error is None
    assert result.summary == _oracle(shared, "BasicTemplateAlgorithm")
    assert list(result.summary)[0] == "Total Orders" and list(result.summary)[-1] == "Drawdown Recovery"
    assert len(result.summary) == 27
    assert result.portfolio_statistics["probabilisticSharpeRatio"] == "0.6746"
    assert result.trade_statistics["totalNumberOfTrades"] == 0
    assert list(result.rolling_window) == ["M1_20131011", "M3_20131011", "M6_20131011", "M12_20131011"]
    assert result.rolling_window["M1_20131011"]["portfolioStatistics"] == result.portfolio_statistics


def test_daily_equity_only_misses_the_intraday_drawdown(spy: Any) -> None:
    summary = build_statistics(_basic_template(spy, with_intraday=False)).summary
    assert summary["Sharpe Ratio"] == "8.854"  # Sharpe family: daily lists only
    assert summary["Drawdown"] == "1.200%"     # the 2.2 % trough is intraday (Oct 9 11:26)


# ----------------------------------------------------------------------------- BasicTemplateDailyAlgorithm

def _basic_template_daily(spy: Any) -> StatisticsInputs:
    """SPY daily Oct 8-17 2013: MOO order at 16:00 Oct 8 for 697 shares, filled at the Oct 9 open."""
    ny, daily, hour = spy.ny, spy.daily_rows(), spy.hour_closes()
    close = lambda day: spy.adjusted(daily[day][4])  # noqa: E731
    fill_price, quantity = spy.adjusted(daily["20131009"][1]), 697
    cash = D(100000) - quantity * fill_price - D("3.485")
    filled_at = ny(2013, 10, 9, 16)
    previous_session = {8: "20131007", 9: "20131008", 10: "20131009", 11: "20131010", 12: "20131011",
                        13: "20131011", 14: "20131011", 15: "20131014", 16: "20131015", 17: "20131016"}
    # every calendar day is sampled at midnight (weekend samples included), then the final 16:00 sample
    samples = [(ny(2013, 10, d), D(100000) if d <= 9 else cash + quantity * close(previous_session[d]),
                hour[f"{previous_session[d]} 15:00"]) for d in range(8, 18)]
    samples.append((ny(2013, 10, 17, 16), cash + quantity * close("20131017"), hour["20131017 15:00"]))
    performance, benchmark, turnover, equity = [], [], [], []
    daily_value, previous_sales = D(100000), D(0)
    for i, (t, tpv, bench_raw) in enumerate(samples):
        pct = round_decimal(net_div(net_mul(net_sub(tpv, daily_value), D(100)), daily_value), 10)
        performance.append((t, smart_round(pct)))
        benchmark.append((t, smart_round(spy.adjusted(bench_raw))))
        sales = quantity * fill_price if t > filled_at else D(0)
        if i > 0:  # no turnover sample at the start date's midnight
            turnover.append((t, smart_round(net_div(sales - previous_sales, tpv))))
            previous_sales = sales
        daily_value = tpv
        equity.append((t, smart_round(round_decimal(tpv, 4))))
    trading_days = sorted(daily)
    for d in (8, 9, 10, 11, 14, 15, 16, 17):  # equity candles at the hourly benchmark steps 10:00..16:00
        day = f"201310{d:02d}"
        for h in range(10, 16 if d == 17 else 17):
            t = ny(2013, 10, d, h)
            known = day if h == 16 else [x for x in trading_days if x < day][-1]
            tpv = D(100000) if t < filled_at else cash + quantity * close(known)
            equity.append((t, smart_round(round_decimal(tpv, 4))))
    capacity = CapacityEstimate(datetime(2013, 10, 8), datetime(2013, 10, 17, 23, 59, 59, 999999))
    held, tpv = D(0), D(100000)
    for d in (8, 9, 10, 11, 14, 15, 16, 17):
        row, t = daily[f"201310{d:02d}"], ny(2013, 10, d, 16)
        bar = CapacityBar(timedelta(hours=6, minutes=30), t, spy.adjusted(row[4]), spy.adjusted_volume(row[5]))
        if d == 9:
            capacity.on_fill("SPY", t, quantity * fill_price)
        if d >= 9:
            held = quantity * bar.close
            tpv = cash + held
        capacity.on_step(t, lambda s, b=bar: b, lambda s, h=held: h, tpv)
    capacity.finalize(ny(2013, 10, 17, 16), lambda s: held, tpv)
    return StatisticsInputs(
        equity=sorted(equity), performance=performance, benchmark=benchmark, portfolio_turnover=turnover,
        profit_loss=[], starting_capital=D(100000), total_fees=D("3.485"), total_orders=1,
        capacity=capacity.capacity, lowest_capacity_asset=SID, risk_free_rate=RF, closed_trades=[])


def test_basic_template_daily_algorithm_summary(spy: Any, shared: Path) -> None:
    result = build_statistics(_basic_template_daily(spy))
    assert result.summary == _oracle(shared, "BasicTemplateDailyAlgorithm")


# ----------------------------------------------------------------------------- other hand-built cases

def test_no_trading_keeps_benchmark_statistics(spy: Any, shared: Path) -> None:
    """ConsolidatorRollingWindowRegressionAlgorithm: flat 100000 equity, same benchmark as BasicTemplate."""
    base = _basic_template(spy, with_intraday=False)
    flat = StatisticsInputs(
        equity=[(t, D(100000)) for t, _ in base.equity], performance=[(t, D(0)) for t, _ in base.performance],
        benchmark=base.benchmark, portfolio_turnover=[(t, D(0)) for t, _ in base.portfolio_turnover],
        profit_loss=[], starting_capital=D(100000), total_fees=D(0), total_orders=0, capacity=None,
        lowest_capacity_asset="", risk_free_rate=RF, closed_trades=[])
    assert build_statistics(flat).summary == _oracle(shared, "ConsolidatorRollingWindowRegressionAlgorithm")


def test_early_exit_two_day_backtest() -> None:
    """SetHoldingsRegressionAlgorithm-like: 3 daily samples -> 1 return -> Net Profit "0%" but real End Equity."""
    t0 = datetime(2013, 10, 7, 4, tzinfo=timezone.utc)
    times = [t0, t0 + timedelta(days=1), t0 + timedelta(days=1, hours=12)]
    inputs = StatisticsInputs(
        equity=[(times[0], D(100000)), (times[1], D("99100.5")), (times[2], D("98822.71"))],
        performance=[(times[0], D(0)), (times[1], D("-0.8995")), (times[2], D("-0.2803"))],
        benchmark=[(t, D(v)) for t, v in zip(times, ("146.0268", "144.7558", "143.0784"), strict=True)],
        portfolio_turnover=[(times[1], D("0.99641")), (times[2], D(0))], profit_loss=[],
        starting_capital=D(100000), total_fees=D("5.41"), total_orders=4, capacity=D("2788000.00"),
        lowest_capacity_asset=SID, risk_free_rate=RF, closed_trades=[])
    s = build_statistics(inputs).summary
    assert (s["End Equity"], s["Net Profit"], s["Compounding Annual Return"], s["Drawdown"]) == \
        ("98822.71", "0%", "0%", "0%")
    assert (s["Sharpe Ratio"], s["Probabilistic Sharpe Ratio"], s["Drawdown Recovery"]) == ("0", "0%", "0")
    assert (s["Portfolio Turnover"], s["Total Fees"], s["Estimated Strategy Capacity"]) == \
        ("49.82%", "$5.41", "$2800000.00")


def test_summary_formatting_edge_cases() -> None:
    p = PortfolioStatistics(start_equity=D(100000), end_equity=D("100000"), sharpe_ratio=D("-0.0001"),
                            alpha=D("0.0004999"), average_loss_rate=D("-0.0000001"), win_rate=D("0.625"),
                            loss_rate=D("0.375"), drawdown=D("0.022"), probabilistic_sharpe_ratio=D("1.2E-7"),
                            information_ratio=D("-19.0001"))
    s = summary_strings(p, None, "", D("3.485"), 0)
    assert s["Sharpe Ratio"] == "0" and s["Alpha"] == "0"      # "-0" -> "0"
    assert s["Average Loss"] == "0.00%"                          # -0.00001 % rounds to an unsigned zero
    assert s["Win Rate"] == "62%" and s["Loss Rate"] == "38%"    # banker's: 62.5 -> 62, 37.5 -> 38
    assert s["Drawdown"] == "2.200%"
    assert s["Probabilistic Sharpe Ratio"] == "0.000%"
    assert s["Information Ratio"] == "-19"
    assert s["Total Fees"] == "$3.49"
    assert s["Estimated Strategy Capacity"] == "$0" and s["Lowest Capacity Asset"] == ""
    assert summary_strings(p, D("0.00"), "", D(0), 0)["Estimated Strategy Capacity"] == "$0"
    assert summary_strings(p, D("56234000.00"), SID, D(0), 0)["Estimated Strategy Capacity"] == "$56000000.00"


def test_custom_summary_never_overrides_and_misaligned_series_fail_like_lean() -> None:
    t0 = datetime(2013, 10, 7, 4, tzinfo=timezone.utc)
    times = [t0 + timedelta(days=i) for i in range(5)]
    base = dict(equity=[(t, D(100000)) for t in times], performance=[(t, D(0)) for t in times],
                benchmark=[(t, D(100 + i)) for i, t in enumerate(times)], portfolio_turnover=[], profit_loss=[],
                starting_capital=D(100000), total_fees=D(0), total_orders=0, capacity=None,
                lowest_capacity_asset="", risk_free_rate=RF, closed_trades=[])
    result = build_statistics(StatisticsInputs(**base, custom_summary={"Total Orders": "x", "Mine": "1"}))
    assert result.summary["Total Orders"] == "0" and list(result.summary)[-1] == "Mine"
    broken = build_statistics(StatisticsInputs(**{**base, "benchmark": base["benchmark"][:-1]}))
    assert broken.summary == {} and "misaligned" in (broken.error or "")
    empty = build_statistics(StatisticsInputs(**{**base, "equity": []}))
    assert empty.summary == {} and empty.error is None


def test_period_ranges() -> None:
    first, last = date(2013, 1, 15), date(2013, 3, 10)
    assert period_ranges(1, first, last) == [(date(2013, 1, 15), date(2013, 1, 31)),
                                             (date(2013, 2, 1), date(2013, 2, 28)),
                                             (date(2013, 3, 1), date(2013, 3, 10))]
    assert period_ranges(3, first, last)[-1] == (first, last)
    assert period_ranges(1, date(2013, 10, 7), date(2013, 10, 11)) == [(date(2013, 10, 7), date(2013, 10, 11))]
    assert period_ranges(3, date(2013, 1, 1), date(2013, 12, 31))[-1] == (date(2013, 10, 1), date(2013, 12, 31))


def test_runtime_statistics_match_a_real_lean_summary(shared: Path) -> None:
    recorded = json.loads((shared / "fixtures" / "lean-output" / "zacqc-15sym-2025-10-summary.json").read_text())
    stats = runtime_statistics(
        total_portfolio_value=D("501239.1741"), starting_capital=D(500000), total_fees=D("135.200"),
        total_net_profit=D("1239.1741"), total_holdings_value=D(0), unrealized_profit=D(0),
        total_sale_volume=D("6009425.0800"), summary=recorded["statistics"])
    assert stats == recorded["runtimeStatistics"]
    assert list(stats) == sorted(recorded["runtimeStatistics"])
    assert runtime_statistics(total_portfolio_value=D(1), starting_capital=D(0), total_fees=D(0),
                              total_net_profit=D(0), total_holdings_value=D(0), unrealized_profit=D(0),
                              total_sale_volume=D(0))["Probabilistic Sharpe Ratio"] == "0%"
    ordered = runtime_statistics(total_portfolio_value=D(1), starting_capital=D(1), total_fees=D(0),
                                 total_net_profit=D(0), total_holdings_value=D(0), unrealized_profit=D(0),
                                 total_sale_volume=D(0), custom={"alpha": "1", "Zeta": "2"})
    assert list(ordered)[0] == "alpha" and list(ordered)[-1] == "Zeta"


@pytest.mark.parametrize("name", ["BasicTemplateAlgorithm", "BasicTemplateDailyAlgorithm"])
def test_oracle_has_27_summary_keys_in_lean_order(shared: Path, name: str) -> None:
    keys = list(summary_strings(PortfolioStatistics(), None, "", D(0), 0))
    assert keys == list(_oracle(shared, name))


def test_json_key_order_matches_a_real_lean_result(shared: Path) -> None:
    recorded = json.loads((shared / "fixtures" / "lean-output" / "zacqc-15sym-2025-10-summary.json").read_text())
    performance = recorded["totalPerformance"]
    empty = build_statistics(StatisticsInputs(
        equity=[], performance=[], benchmark=[], portfolio_turnover=[], profit_loss=[], starting_capital=D(1),
        total_fees=D(0), total_orders=0, capacity=None, lowest_capacity_asset="", risk_free_rate=RF,
        closed_trades=[]))
    assert list(empty.trade_statistics) == list(performance["tradeStatistics"])
    assert list(empty.portfolio_statistics) == list(performance["portfolioStatistics"])


def test_rolling_window_keys_over_several_months() -> None:
    t0 = datetime(2013, 1, 15, 5, tzinfo=timezone.utc)
    times = [t0 + timedelta(days=i) for i in range(60)]  # Jan 15 .. Mar 15
    values = [D(100000) + D(i * 37 % 500) for i in range(60)]
    inputs = StatisticsInputs(
        equity=list(zip(times, values, strict=True)),
        performance=[(t, D(i % 7) / 10 - D("0.3")) for i, t in enumerate(times)],
        benchmark=[(t, D(150) + D(i % 5)) for i, t in enumerate(times)], portfolio_turnover=[],
        profit_loss=[(times[20], D("12.5")), (times[40], D("-3"))], starting_capital=D(100000),
        total_fees=D(2), total_orders=4, capacity=None, lowest_capacity_asset="", risk_free_rate=RF,
        closed_trades=[])
    result = build_statistics(inputs)
    assert result.error is None
    assert list(result.rolling_window) == [
        "M1_20130131", "M1_20130228", "M1_20130315", "M3_20130131", "M3_20130228", "M3_20130315",
        "M6_20130131", "M6_20130228", "M6_20130315", "M12_20130131", "M12_20130228", "M12_20130315"]
    february = result.rolling_window["M1_20130228"]["portfolioStatistics"]
    assert february["startEquity"] == json_round4(values[17])  # a partial period starts from its first equity
    assert result.summary["Win Rate"] == "50%" and result.summary["Loss Rate"] == "50%"

"""Parity verdicts: compare a run's results with the golden baseline and between repeats.

Exit codes: 0 identical (or baseline recorded, or measured with --no-compare), 1 divergent
(or slower with --check-regression, or repeats disagree), 2 error.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from zacperf import golden
from zacperf.golden import DiffReport


@dataclass
class Parity:
    verdict: str                     # identical | divergent | nondeterministic | no-baseline | updated | skipped | error
    headline: str
    exit_code: int
    details: list[str] = field(default_factory=list)
    differences: dict[str, int] = field(default_factory=dict)
    parameter_changes: list[str] = field(default_factory=list)
    baseline_parameter_hash: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "headline": self.headline, "exit_code": self.exit_code,
                "details": self.details, "differences": self.differences,
                "parameter_changes": self.parameter_changes, "baseline_parameter_hash": self.baseline_parameter_hash}


def money(value: float) -> str:
    return f"-${abs(value):,.2f}" if value < 0 else f"${value:,.2f}"


def outcome_text(sections: Mapping[str, Any], orders: int | None, fills: int | None) -> str:
    """"157 orders, 20 fills, P&L $1,239.17 (0.248%)"."""
    stats = (sections.get("statistics") or {}).get("statistics") or {}
    pnl = ""
    try:
        start = float(str(stats.get("Start Equity", "")).replace(",", "").replace("$", ""))
        end = float(str(stats.get("End Equity", "")).replace(",", "").replace("$", ""))
        pnl = f", P&L {money(end - start)}" + (f" ({stats['Net Profit']})" if "Net Profit" in stats else "")
    except ValueError:
        if "Net Profit" in stats:
            pnl = f", P&L {stats['Net Profit']}"
    return f"{orders if orders is not None else '?'} orders, {fills if fills is not None else '?'} fills{pnl}"


def repeats_agree(all_sections: Sequence[Mapping[str, Any]]) -> DiffReport | None:
    """None when every repeat equals the first; else the first disagreement."""
    for other in all_sections[1:]:
        report = golden.diff(all_sections[0], other)
        if not report.identical:
            return report
    return None


def compare_with_baseline(sections: Mapping[str, Any], baseline: tuple[dict[str, Any], dict[str, Any]] | None,
                          parameters: Mapping[str, str], parameter_hash: str, orders: int | None, fills: int | None,
                          tolerance: float, baseline_name: str) -> Parity:
    outcome = outcome_text(sections, orders, fills)
    if baseline is None:
        return Parity("no-baseline", f"NO GOLDEN BASELINE for {baseline_name} ({outcome}); record one with "
                      "--update-baseline --reason \"...\"", 2)
    stored, provenance = baseline
    old_hash = provenance.get("parameter_hash")
    changes = golden.parameter_changes(provenance.get("parameters") or {}, parameters) if old_hash != parameter_hash else []
    report = golden.diff(stored, sections, tolerance=tolerance)
    tolerance_note = f" within tolerance {tolerance:g}" if tolerance else ""
    param_lines = []
    if old_hash != parameter_hash:
        param_lines = [f"  parameter hash {str(parameter_hash)[7:19]} differs from the baseline's {str(old_hash)[7:19]}: "
                       + ("; ".join(changes[:6]) + (" ..." if len(changes) > 6 else "") if changes else "(set changed)")]
    if report.identical:
        return Parity("identical", f"IDENTICAL to golden baseline{tolerance_note} ({outcome})", 0,
                      details=param_lines + [f"  note: {n}" for n in report.notes],
                      parameter_changes=changes, baseline_parameter_hash=old_hash)
    base_outcome = outcome_text(stored, provenance.get("orders"), provenance.get("fills"))
    details = param_lines + [f"  baseline: {base_outcome}", f"  this run: {outcome}"] + golden.format_report(report, stored)
    return Parity("divergent", f"DIVERGENT from golden baseline {baseline_name} "
                  f"({sum(report.counts.values())} difference(s); first shown above)", 1, details=details,
                  differences=dict(report.counts), parameter_changes=changes, baseline_parameter_hash=old_hash)

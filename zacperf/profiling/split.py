"""Engine vs algorithm: the summed step time of the reference run split into pylean's phases
(pylean/step_phases.py), as table rows and a stacked bar plot. Pure over the engine's metrics file."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

LABELS = {
    "data_and_slices": "data and slices",
    "consolidator_updates": "consolidator updates",
    "indicator_updates": "indicator updates",
    "scheduled_events": "scheduled-event dispatch",
    "order_processing": "order processing and fills",
    "other_engine": "other engine work",
    "algorithm_callbacks": "algorithm callbacks",
}
COLORS = ("#4c72b0", "#55a868", "#8172b2", "#ccb974", "#c44e52", "#8c8c8c", "#dd8452")


@dataclass(frozen=True)
class StepSplit:
    step_s: float                        # the measured step time, summed over the run's steps
    steps: int
    parts: tuple[tuple[str, float], ...]  # (phase key, seconds), in LABELS order

    @property
    def parts_sum_s(self) -> float:
        return sum(seconds for _key, seconds in self.parts)

    @property
    def algorithm_share(self) -> float:
        return dict(self.parts)["algorithm_callbacks"] / self.step_s if self.step_s else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"step_time_s": self.step_s, "steps": self.steps, "parts_s": dict(self.parts),
                "parts_sum_s": self.parts_sum_s, "algorithm_share": self.algorithm_share}


def step_split(engine_metrics: dict[str, Any]) -> StepSplit | None:
    """The split of the run's metrics file; None when the engine recorded none."""
    recorded = engine_metrics.get("step_phases")
    if not recorded:
        return None
    parts = tuple((key, float(recorded["parts_s"].get(key, 0.0))) for key in LABELS)
    steps = int((engine_metrics.get("time_step") or {}).get("count") or 0)
    return StepSplit(float(engine_metrics["step_time_total_s"]), steps, parts)


def table_lines(split: StepSplit) -> list[str]:
    """A markdown table: each part's seconds, share and mean per step, then the sum against the measurement."""
    lines = ["| part | seconds | share | µs per step |", "|---|---:|---:|---:|"]
    for key, seconds in split.parts:
        lines.append(f"| {LABELS[key]} | {seconds:.3f} | {_share(seconds, split.step_s)} | "
                     f"{_per_step(seconds, split.steps)} |")
    total = split.parts_sum_s
    lines.append(f"| **sum of the parts** | **{total:.3f}** | {_share(total, split.step_s)} | "
                 f"{_per_step(total, split.steps)} |")
    lines.append(f"| measured step time ({split.steps:,} steps) | {split.step_s:.3f} | 100.0 % | "
                 f"{_per_step(split.step_s, split.steps)} |")
    return lines


def _share(seconds: float, whole: float) -> str:
    return f"{seconds / whole * 100:.1f} %" if whole else "n/a"


def _per_step(seconds: float, steps: int) -> str:
    return f"{seconds / steps * 1e6:.2f}" if steps else "n/a"


def plot(split: StepSplit, path: Path, title: str) -> None:
    """One stacked horizontal bar of the parts (seconds), labelled with their shares."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(10, 2.8))
    left = 0.0
    for (key, seconds), color in zip(split.parts, COLORS):
        axes.barh([0], [seconds], left=left, color=color, label=f"{LABELS[key]} ({_share(seconds, split.step_s)})")
        left += seconds
    axes.set_yticks([])
    axes.set_xlabel("seconds of step time, summed over the run")
    axes.set_title(title, fontsize=10)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.45), ncol=3, fontsize=8, frameon=False)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)

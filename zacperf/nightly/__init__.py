"""The nightly perf job: calibration-normalized repeats, per-machine perf baselines, the asv-style
gate (ratio beyond a factor AND a Mann-Whitney test), the history and its trend page."""

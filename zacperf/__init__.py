"""zacperf: measure a Lean Python algorithm and prove its trades did not change.

The library behind `tools/perf_harness.py` (`python tools/perf_harness.py --scenario reference`).
Stages communicate through files (asv-style): every run writes a run folder
(`tasks/<feature>/runs/<UTC id>/`: Lean-layout results, metrics.json, report, plots); the golden
diff, the regression gate and the report read only those files.

  scenarios / parameters   scenario TOML -> frozen Scenario; the full parameter set and its hash
  calendar / synth / synth_files / datasource
                           NYSE sessions; deterministic Lean-format data; data folder checks and fingerprints
  backends/                pylean (default) and lean (Lean CLI + Docker): one fresh process per run
  leanout                  Lean-layout result folder -> RunResult (orders, events, statistics, log facts)
  metrics / regression     pure metric arithmetic (metrics.json schema 1); noise-aware timing decisions
  golden / verdict         baselines: normalize, diff, store; parity verdicts and exit codes
  runs / report / emit / progress / feature_pack
                           run folders, decision log, human output and plots, CSV/StatsD, feature packs
  harness                  the one-command orchestration `tools/perf_harness.py` calls
"""
__version__ = "0.1.0"

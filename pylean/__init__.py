"""pylean: an in-process, Lean-compatible backtesting engine for Lean Python algorithms."""

__version__ = "0.1.0"

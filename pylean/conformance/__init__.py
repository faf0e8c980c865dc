"""Lean's own regression suite as pylean's conformance target: read a Lean checkout where it is, run each
selected Python regression algorithm in its own pylean process, and check it as Lean's Tests/RegressionTests.cs
does (expected statistics, OrderListHash, final status, DataPoints, AlgorithmHistoryDataPoints)."""

"""RegressionTestException (Common/RegressionTestException.cs): what Lean's regression algorithms raise when a
check fails."""
from __future__ import annotations


class RegressionTestException(Exception):
    pass

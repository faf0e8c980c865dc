"""Secrets never reach result files: values of secret-named environment variables and parameters are masked.

A name is secret when it contains token, secret, password/passwd, api key, access key, private key or
credential (any case, `_`/`-` optional). Values shorter than MIN_LENGTH are not masked (they would mask
ordinary text). zacperf/redaction.py applies the same rule to run folders (a test keeps the two equal).
"""
from __future__ import annotations

import os
import re
from collections.abc import Mapping

SECRET_NAME = re.compile(r"token|secret|passw(or)?d|api[_-]?key|access[_-]?key|private[_-]?key|credential", re.I)
MIN_LENGTH = 8
MASK = "***"


def secret_values(parameters: Mapping[str, object] | None = None,
                  environ: Mapping[str, str] | None = None) -> list[str]:
    """The strings to mask, longest first."""
    env = os.environ if environ is None else environ
    found = {value for name, value in env.items() if SECRET_NAME.search(name) and len(value) >= MIN_LENGTH}
    found |= {str(value) for name, value in (parameters or {}).items()
              if SECRET_NAME.search(name) and len(str(value)) >= MIN_LENGTH}
    return sorted(found, key=len, reverse=True)


def redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, MASK)
    return text

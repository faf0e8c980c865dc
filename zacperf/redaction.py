"""Secrets never reach run folders: values of secret-named environment variables and parameters are masked.

A name is secret when it contains token, secret, password/passwd, api key, access key, private key or
credential (any case, `_`/`-` optional). Values shorter than MIN_LENGTH are not masked (they would mask
ordinary text). pylean/redaction.py applies the same rule to result files (a test keeps the two equal); zacperf
also masks the values of secret-named --parameter options (register_parameters).
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


_PARAMETERS: dict[str, str] = {}


def register_parameters(parameters: Mapping[str, str]) -> None:
    """Secret-named parameters of this run are masked in every file written afterwards."""
    _PARAMETERS.update({k: v for k, v in parameters.items() if SECRET_NAME.search(k)})


def redact_text(text: str) -> str:
    """Mask the environment's and the registered parameters' secrets in text about to be written."""
    return redact(text, secret_values(_PARAMETERS))


def redact_file(path: os.PathLike[str] | str) -> None:
    """Mask secrets in a log another process wrote (the engine's stdout/stderr)."""
    secrets = secret_values(_PARAMETERS)
    if not secrets:
        return
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return
    masked = redact(text, secrets)
    if masked != text:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(masked)

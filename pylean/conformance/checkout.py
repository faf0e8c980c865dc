"""A Lean checkout, read where it is: its Python regression algorithms, their C# twins, the launcher's
parameters and its Data folder; and the class lists that say which algorithms to run."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CLASS_KEYS = {"us-equity": ("us-equity",), "universe": ("us-equity-universe-or-framework",)}
CLASS_KEYS["all"] = CLASS_KEYS["us-equity"] + CLASS_KEYS["universe"]
# what the report calls each list of the classes file
CLASS_LABELS = {"us-equity": "us-equity", "us-equity-universe-or-framework": "universe"}


class CheckoutError(ValueError):
    """Bad input: no checkout, no class list, unreadable configuration."""


@dataclass(frozen=True)
class Algorithm:
    name: str
    klass: str           # "us-equity" or "universe"
    python_file: Path
    csharp_file: Path


@dataclass(frozen=True)
class LeanCheckout:
    root: Path

    @classmethod
    def open(cls, root: Path) -> "LeanCheckout":
        root = root.expanduser().resolve()
        for needed in ("Algorithm.Python", "Algorithm.CSharp"):
            if not (root / needed).is_dir():
                raise CheckoutError(f"not a Lean checkout (no {needed} folder): {root}")
        if not (root / "Launcher" / "config.json").is_file():  # without it parameterized algorithms would differ
            raise CheckoutError(f"not a Lean checkout (no Launcher/config.json, which holds the regression "
                                f"algorithms' parameters): {root}")
        return cls(root)

    @property
    def data_folder(self) -> Path:
        return self.root / "Data"

    def algorithm(self, name: str, klass: str) -> Algorithm:
        return Algorithm(name, klass, self.root / "Algorithm.Python" / f"{name}.py",
                         self.root / "Algorithm.CSharp" / f"{name}.cs")

    def launcher_parameters(self) -> dict[str, str]:
        """Launcher/config.json's "parameters", as the strings Lean's job queue hands the algorithm."""
        config = self.root / "Launcher" / "config.json"
        try:
            data = json.loads(strip_json_comments(config.read_text(encoding="utf-8-sig")))
        except json.JSONDecodeError as exc:
            raise CheckoutError(f"{config}: invalid JSON ({exc.msg} at line {exc.lineno})") from exc
        parameters = data.get("parameters", {}) if isinstance(data, dict) else {}
        return {str(k): _as_parameter(v) for k, v in parameters.items()}


def _as_parameter(value: Any) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"  # .NET's bool.ToString()
    return value if isinstance(value, str) else json.dumps(value)


def strip_json_comments(text: str) -> str:
    """Lean's config.json allows // and /* */ comments; strings (URLs included) are kept as they are."""
    pattern = re.compile(r'"(?:[^"\\]|\\.)*"|//[^\n]*|/\*.*?\*/', re.DOTALL)
    return pattern.sub(lambda m: m.group(0) if m.group(0).startswith('"') else "", text)


def load_classes(classes_file: Path, selection: str) -> list[tuple[str, str]]:
    """(name, class label) of every algorithm the selection ("us-equity", "universe", "all") names."""
    try:
        document = json.loads(classes_file.read_text(encoding="utf-8"))
        lists = document["classes"]
    except (OSError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise CheckoutError(f"cannot read the class lists {classes_file}: {exc}") from exc
    chosen = []
    for key in CLASS_KEYS[selection]:
        if key not in lists:
            raise CheckoutError(f"{classes_file}: no class list {key!r}")
        chosen += [(str(name), CLASS_LABELS[key]) for name in lists[key]]
    return chosen

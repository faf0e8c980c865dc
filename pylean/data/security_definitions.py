"""The security definitions database (Common/Securities/SecurityDefinitionSymbolResolver.cs,
Data/symbol-properties/security-database.csv): `SID,CUSIP,CompositeFIGI,SEDOL,ISIN,CIK` per security,
read once per run; Symbol.cusip and friends look a security's identifier up here."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable


@dataclass(frozen=True)
class SecurityDefinition:
    cusip: str | None
    composite_figi: str | None
    sedol: str | None
    isin: str | None
    cik: int | None


def _field(text: str) -> str | None:
    text = text.strip()
    return text or None


def read_security_definitions(data_folder: Path | str) -> dict[str, SecurityDefinition]:
    """SID text -> definition; an absent file gives an empty database."""
    path = Path(data_folder) / "symbol-properties" / "security-database.csv"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    out: dict[str, SecurityDefinition] = {}
    for line in lines:
        parts = line.split(",")
        if line.startswith("#") or len(parts) < 6:
            continue
        cik = _field(parts[5])
        out[parts[0].strip()] = SecurityDefinition(_field(parts[1]), _field(parts[2]), _field(parts[3]),
                                                   _field(parts[4]), int(cik) if cik and cik.isdigit() else None)
    return out


def definitions_lookup(data_folder: Path | str) -> Callable[[str], SecurityDefinition | None]:
    """SID text -> definition, reading the database on the first question (most runs never ask)."""
    table: dict[str, SecurityDefinition] | None = None

    def lookup(sid: str) -> SecurityDefinition | None:
        nonlocal table
        if table is None:
            table = read_security_definitions(data_folder)
        return table.get(sid)

    return lookup

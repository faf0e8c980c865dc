"""What Lean's regression test expects of an algorithm, read from its C# twin (`Algorithm.CSharp/<Name>.cs`,
an `IRegressionAlgorithmDefinition`): `ExpectedStatistics`, `DataPoints`, `AlgorithmHistoryDataPoints`,
`AlgorithmStatus` and the optional `CustomConfigurations`.

The twin is read as text (no C# compiler): the members are expression- or initializer-bodied properties,
e.g. `public long DataPoints => 3943;` and
`public Dictionary<string, string> ExpectedStatistics => new Dictionary<string, string> { {"Total Orders", "1"}, ... };`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

NOT_CHECKED = -1  # Lean skips a DataPoints / AlgorithmHistoryDataPoints check of -1

# a C# string literal: regular ("...", with \" escapes) or verbatim (@"...", with "" escapes)
_STRING = r'(?:@"(?:[^"]|"")*"|"(?:[^"\\]|\\.)*")'
_PAIR = re.compile(r"\{\s*(" + _STRING + r")\s*,\s*(" + _STRING + r")\s*\}", re.DOTALL)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", '"': '"', "'": "'"}


class ExpectationError(ValueError):
    """The C# twin does not state what the regression test needs."""


@dataclass(frozen=True)
class Expectation:
    name: str
    statistics: dict[str, str]
    data_points: int
    history_data_points: int
    status: str
    custom_configurations: dict[str, str] = field(default_factory=dict)


def read_expectation(cs_file: Path) -> Expectation:
    """Parse the twin of one algorithm; a missing member is an ExpectationError naming it."""
    try:
        text = cs_file.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ExpectationError(f"cannot read {cs_file}: {exc.strerror}") from exc
    return parse_expectation(cs_file.stem, text)


def parse_expectation(name: str, source: str) -> Expectation:
    """Parse the C# source of a twin (comments are ignored)."""
    source = _strip_comments(source)
    statistics = _dictionary(source, "ExpectedStatistics")
    if statistics is None:
        raise ExpectationError(f"{name}: no ExpectedStatistics dictionary")
    return Expectation(
        name=name,
        statistics=statistics,
        data_points=_integer(source, "DataPoints", name),
        history_data_points=_integer(source, "AlgorithmHistoryDataPoints", name),
        status=_status(source, name),
        custom_configurations=_dictionary(source, "CustomConfigurations") or {},
    )


def _member_body(source: str, member: str) -> str | None:
    """The text after `Member =>` or `Member { get; } =` (up to the end of the file; callers take what they need)."""
    match = re.search(r"\b" + member + r"\s*(?:=>|\{\s*get;\s*(?:private\s+set;\s*)?\}\s*=)", source)
    return source[match.end():] if match else None


def _integer(source: str, member: str, name: str) -> int:
    body = _member_body(source, member)
    match = re.match(r"\s*(-?\d+)[lL]?\s*;", body) if body is not None else None
    if match is None:
        raise ExpectationError(f"{name}: no integer {member}")
    return int(match.group(1))


def _status(source: str, name: str) -> str:
    body = _member_body(source, "AlgorithmStatus")
    match = re.match(r"\s*(?:AlgorithmStatus\.)?(\w+)\s*;", body) if body is not None else None
    if match is None:
        raise ExpectationError(f"{name}: no AlgorithmStatus")
    return match.group(1)


def _dictionary(source: str, member: str) -> dict[str, str] | None:
    """A `new Dictionary<string, string> { {"k", "v"}, ... }` (or `new() {...}`) member, in source order."""
    body = _member_body(source, member)
    if body is None:
        return None
    start = body.find("{")
    if start < 0 or not re.fullmatch(r"\s*new\s*(?:Dictionary\s*<\s*string\s*,\s*string\s*>)?\s*(?:\(\s*\))?\s*",
                                     body[:start]):
        return None
    end = _matching_brace(body, start)
    return {_literal(k): _literal(v) for k, v in _PAIR.findall(body[start + 1:end])}


def _matching_brace(text: str, start: int) -> int:
    depth, i = 0, start
    while i < len(text):
        char = text[i]
        if char == '"' or (char == "@" and text[i + 1:i + 2] == '"'):
            literal = re.match(_STRING, text[i:])
            if literal is None:
                raise ExpectationError("unterminated string literal")
            i += len(literal.group(0))
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ExpectationError("unbalanced braces")


def _literal(token: str) -> str:
    if token.startswith("@"):
        return token[2:-1].replace('""', '"')
    body = token[1:-1]
    return re.sub(r"\\u([0-9a-fA-F]{4})|\\(.)",
                  lambda m: chr(int(m.group(1), 16)) if m.group(1) else _ESCAPES.get(m.group(2), m.group(2)), body)


def _strip_comments(source: str) -> str:
    """Drop // and /* */ comments outside string literals."""
    out, i = [], 0
    pattern = re.compile(_STRING + r"|//[^\n]*|/\*.*?\*/", re.DOTALL)
    for match in pattern.finditer(source):
        out.append(source[i:match.start()])
        token = match.group(0)
        out.append(token if token.startswith(('"', "@")) else " ")
        i = match.end()
    out.append(source[i:])
    return "".join(out)

"""Feature packs: `tasks/<slug>-<UTC>/` in the layout of the planning template the project grew from.

  plan.md                      the template's sections and one story skeleton
  decision-log.md              one machine-readable line per harness run, plus Appendix C entries
  referenced-expertise.md      "Scan @" blocks (keywords, findings, top files)
  references/excerpts/<slug>-refs.txt
  proposals/expert-additions.md
  runs/ benchmarks/ patches/ artifacts/screenshots/   (.gitkeep; generated run folders are not committed)
"""
from __future__ import annotations

import re
from pathlib import Path

from zacperf.env import utc_iso, utc_now, utc_run_id
from zacperf.errors import ZacperfError

CONSTRAINTS = ("Performance", "Security/Compliance", "Compatibility", "Delivery", "Reliability/Availability",
               "Observability", "Cost", "E2E Runtime Budgets")
SECTIONS = ("Task Overview", "Definition of Ready (DoR)", "Clarification Questions", "Constraints & Requirements",
            "Isolation & Namespacing", "Dependencies", "User Stories", "Checklist of Subtasks",
            "Definition of Done (DoD)", "Tests to Run", "Experts to Scan (keywords)", "Risks & Mitigations",
            "Pipeline Integration Plan", "Data & Migrations", "Observability, Rollout & Rollback Plan",
            "Implementation Plan (optional)")
STORY_PARTS = ("Acceptance Criteria (Given/When/Then)", "Story DoR", "Tasks Checklist", "Story Tests to Run",
               "Story DoD", "Story Exit Checklist (AC gate)", "Story Implementation Plan",
               "Story Execution Protocol", "Story Runbook & Logs", "Story Progress & Hygiene",
               "Sub-Agent Delegation", "Links/Artifacts")
FOLDERS = ("references/excerpts", "proposals", "runs", "benchmarks", "patches", "artifacts/screenshots")


def slugify(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    if not slug:
        raise ZacperfError(f"cannot make a folder name from the title {title!r}")
    return slug[:60].rstrip("-")


def plan_text(title: str, created: str) -> str:
    lines = [f"# {title}", "", (f"Created: {created}. Stop tokens: `NEEDS_CLARIFICATION`, `BLOCKED`. "
             "Stop after 3 loops without measurable progress or at the time-box."), ""]
    for section in SECTIONS:
        lines += [f"## {section}", ""]
        if section == "Clarification Questions":
            lines += ["- [Critical] ...", "- [Nice] ...", ""]
        elif section == "Constraints & Requirements":
            lines += [f"- **{c}:** ..." for c in CONSTRAINTS] + [""]
        elif section == "Dependencies":
            lines += ["- Internal: ...", "- External: ...", ""]
        elif section == "User Stories":
            lines += story_text(1, "<title>")
        elif section == "Tests to Run":
            lines += ["```bash", "python -m pytest -q tests/zacperf",
                      "python tools/perf_harness.py --scenario smoke --feature <this pack>", "```", ""]
        else:
            lines += ["...", ""]
    return "\n".join(lines)


def story_text(number: int, title: str) -> list[str]:
    lines = [f"### Story [S-{number}]: {title}", "",
             "ID: S-1 | Priority: P1 | Owner: ... | Due: ...".replace("S-1", f"S-{number}"), "",
             "As a ..., I want ..., so that ....", "", "Dependencies: ... Non-goals: ...", ""]
    for part in STORY_PARTS:
        lines += [f"#### {part}", ""]
        if part.startswith("Acceptance"):
            lines += ["- Given ..., when ..., then ....", ""]
        elif part == "Tasks Checklist":
            lines += ["- [ ] ...", ""]
        elif part == "Story Execution Protocol":
            lines += [("0 reproduce/define slice -> 1 Run & Capture -> 2 Diagnose -> 3 Plan -> "
                      f"4 Change [S-{number}/T-x] -> 5 Re-Test & Compare -> 6 Decide"), ""]
        else:
            lines += ["...", ""]
    return lines


DECISION_LOG_HEAD = """# Decision log — {name}

All times UTC. `tools/perf_harness.py --feature {name}` appends one line per run:
`- <ISO>Z | perf-run | scenario=… backend=… | <verdict> | dps=… ondata_p95_us=… warmup_s=… wall_s=… | params=… rev=… | runs/<id>/test-report.md`

Decisions use the template's entry:

    ## [S-<id>] <short outcome> — <ISO>Z
    - Attempt: … - Result: … - Evidence: runs/<id>/ - Decision: continue|refine|escalate|done|blocked
    - Next step: … - Runtime (if E2E): … - Monitoring: …

"""


def create_pack(title: str, root: Path, exact_name: bool = False) -> Path:
    """Create tasks/<slug>-<UTC>/ (or tasks/<title> with exact_name) with the template's files."""
    now = utc_now()
    slug = slugify(title)
    name = slug if exact_name else f"{slug}-{utc_run_id(now)}"
    folder = root / name
    if folder.exists() and any(folder.iterdir()):
        raise ZacperfError(f"feature pack {folder} already exists")
    for sub in FOLDERS:
        (folder / sub).mkdir(parents=True, exist_ok=True)
    for sub in ("runs", "benchmarks", "patches", "artifacts/screenshots"):
        (folder / sub / ".gitkeep").touch()
    created = utc_iso(now)
    (folder / "plan.md").write_text(plan_text(title, created), encoding="utf-8")
    (folder / "decision-log.md").write_text(DECISION_LOG_HEAD.format(name=name), encoding="utf-8")
    (folder / "referenced-expertise.md").write_text(
        f"# Referenced expertise — {name}\n\n## Scan @ {created}\n\n- Keywords: ...\n- Findings: ...\n"
        "- Top files: ...\n", encoding="utf-8")
    (folder / "references" / "excerpts" / f"{slug}-refs.txt").write_text("", encoding="utf-8")
    (folder / "proposals" / "expert-additions.md").write_text(
        f"# Expert additions — {name}\n\n- Keywords: ...\n- Rationale: ...\n- Proposed outline: ...\n"
        "- Sources: ...\n", encoding="utf-8")
    return folder

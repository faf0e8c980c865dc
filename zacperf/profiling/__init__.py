"""Profiling Lean algorithms on pylean (scripts/profile_ondata.py): engine vs algorithm, line by line.

session.py runs the profile (one engine process per tool, child.py), target.py resolves a scenario or a
project, callgraph.py discovers the functions the engine's callbacks reach, lines.py line-profiles and
ranks them, calltree.py reads call trees and samples, split.py splits the step time by engine phase,
report.py writes the run folder's report.
"""

"""Lean's algorithm framework pieces pylean implements itself (Common/Algorithm/Framework/)."""

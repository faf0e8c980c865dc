"""Lean's algorithm framework as pylean implements it (Algorithm/QCAlgorithm.Framework.cs, Algorithm/*/ and
Common/Algorithm/Framework/): the model bases users subclass, Lean's C#-only models, insights and targets, and the
pipeline the engine runs each step (pipeline.py). The names algorithms import are listed in exports.py."""

"""Parameter sweeps, like `lean optimize`: a grid or random search over a project's parameters with a
target statistic and constraints, locally or on a Dask cluster (tools/sweep.py)."""

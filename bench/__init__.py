"""kring's performance suite: `python -m bench.run` (see bench/run.py)."""

"""Issue 20's benchmark of the statistics over a simulated year (usage and code:
benchmarks/simulated_year.py).

Run as `python benchmarks/statistics.py`, this directory comes first on sys.path, where this file
would stand in for the standard library's `statistics` module for every later import: the first
statement moves the directory to the end (`simulated_year` and `harness` are still found there).
For `mypy src benchmarks` the file would be the standard library's module too; pyproject.toml
excludes it from mypy, and so it holds nothing but this.
"""

import sys

sys.path.append(sys.path.pop(0))

from simulated_year import main

if __name__ == "__main__":
    sys.exit(main())

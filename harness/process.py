"""How a harness process runs: the garbage collector's pace, set by the command line and by a spawned
import worker (a forked one inherits it).

Python collects cycles after every 700 new container objects. Scoring, reading results and building
reports make short-lived objects by the million and hold few cycles, so those collections took ~10% of
a batch import's CPU (bench/README.md, "Scale"). After 10,000, what waits to be collected is ~1 MB.
"""

from __future__ import annotations

import gc

GC_THRESHOLD = 10_000  # new container objects between collections of the youngest generation


def tune_gc() -> None:
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])

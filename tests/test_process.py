import gc
from collections.abc import Iterator

import pytest

from harness.cli import main
from harness.process import GC_THRESHOLD, tune_gc


@pytest.fixture
def default_gc() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(700, 9, 8)
    yield
    gc.set_threshold(*before)


@pytest.mark.usefixtures("default_gc")
def test_tune_gc_collects_the_youngest_objects_less_often_and_leaves_the_older_generations() -> None:
    tune_gc()
    assert gc.get_threshold() == (GC_THRESHOLD, 9, 8)


@pytest.mark.usefixtures("default_gc")
def test_every_harness_command_runs_with_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--no-such-flag"]) != 0  # even one that stops at its flags
    assert "unrecognized arguments: --no-such-flag" in capsys.readouterr().err
    assert gc.get_threshold()[0] == GC_THRESHOLD

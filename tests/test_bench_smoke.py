"""The benchmark suite still runs: each benchmark in its tiny (--quick) size.

No timing is asserted here: figures depend on the machine. What is checked is
that every benchmark measures something and reports it in the runner's shape.
"""

from __future__ import annotations

import json

import pytest

from bench import run as runner
from bench.common import Figure
from bench.idle import termdown

OWN = {"1", "2", "3", "6", "7"}  # written with the suite; 4 and 5 come with their capabilities


@pytest.mark.parametrize("number,name,title", runner.SUITE, ids=[f"{n}-{m}" for n, m, _ in runner.SUITE])
def test_benchmark_runs_in_its_quick_size(number, name, title):
    figures = runner.run_one(number, name, title, quick=True)
    assert figures, f"benchmark {number} reported nothing"
    for f in figures:
        assert isinstance(f, Figure)
        assert f.bench.startswith(number)
        json.dumps(f.as_dict())  # the JSON file can hold it
    if number in OWN:
        measured = [f for f in figures if f.value is not None]
        assert measured, [f.note for f in figures]
        if number != "2" or termdown() is not None:  # the idle ratio needs termdown (the bench extra)
            assert any(f.target for f in measured), "a figure with a target"


def test_the_table_and_markdown_show_value_target_and_anchor():
    f = Figure("2 idle bandwidth", "idle bytes ratio", 0.6, "x", target="<= 1.0x", anchor="termdown = 1.0x", met=True)
    text = runner.table([f])
    assert "0.6 x" in text and "<= 1.0x" in text and "termdown = 1.0x" in text and "met" in text
    md = runner.markdown([f], {"cores": 2, "cpu": "cpu", "python": "3.11"})
    assert md.splitlines()[2].startswith("| 2 | idle bytes ratio | 0.6 x | <= 1.0x | termdown = 1.0x | met |")

"""A report asks the store the same few questions however many notes a meeting
has: one query for all its notes, never one per note (N+1). And the network's
report asks a fixed number per meeting of its series: no meeting draws the
series' trend again."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from kring.data.network_report import build_network_report
from kring.data.report import build_report, render_csv, render_html, render_md
from tests.reportdata import NAMES, add_network, add_notes_bulk, add_response, held_meeting


@contextmanager
def counted(store):
    """The SQL statements sent to the store while the block runs."""
    sent: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        sent.append(statement)

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(store.engine, "before_cursor_execute", count)


def _meeting_with(store, clock, fmt, network_id: int, notes: int) -> int:
    mid = held_meeting(store, clock, fmt, network_id=network_id, roti=[3, 4], title=f"{notes} notities")
    kinds = ["note", "insight", "decision", "action", "question"]
    add_notes_bulk(store, mid, [
        dict(kind=kinds[i % 5], text=f"notitie {i}", step_index=i % 3, step_title=fmt["steps"][i % 3]["title"],
             speaker=NAMES[i % 5], author="notulist", at=clock.now().add(seconds=i), confidential=(i % 4 == 0),
             owner=NAMES[i % 5] if i % 5 == 3 else None, due="2026-12-18" if i % 5 == 3 else None)
        for i in range(notes)
    ])
    for i in range(3):
        add_response(store, mid, f"Deelnemer {i}", {"roti": i, "relevance": 3, "tip": f"tip {i}"}, at=clock.now())
    return mid


def _statements(store, mid: int, clock, **kw) -> int:
    build_report(store, mid, clock=clock, **kw)  # statements compiled and cached, as in any later report
    with counted(store) as sent:
        report = build_report(store, mid, clock=clock, **kw)
        render_md(report), render_html(report), render_csv(report)
    return len(sent)


def test_a_reports_statements_do_not_grow_with_its_notes(store, clock, standaard):
    net = add_network(store, clock=clock)
    few = _meeting_with(store, clock, standaard, net, notes=3)
    many = _meeting_with(store, clock, standaard, net, notes=300)
    assert len(build_report(store, many, clock=clock, include_confidential=True)["notes"]) > 300
    for kw in ({}, {"include_confidential": True}):
        small, large = _statements(store, few, clock, **kw), _statements(store, many, clock, **kw)
        assert small == large, (kw, small, large)
        assert large < 30


def test_the_network_reports_statements_grow_by_a_fixed_number_per_meeting(store, clock, standaard):
    net = add_network(store, clock=clock)
    counts = []
    for meetings in range(1, 4):
        _meeting_with(store, clock, standaard, net, notes=10 * meetings)
        build_network_report(store, net, clock=clock)
        with counted(store) as sent:
            build_network_report(store, net, clock=clock)
        counts.append(len(sent))
    per_meeting = counts[1] - counts[0]
    assert counts[2] - counts[1] == per_meeting, counts
    alone = _statements(store, _meeting_with(store, clock, standaard, add_network(store, "Ander", clock=clock), 5),
                        clock, trend=False)
    assert per_meeting <= alone, (per_meeting, alone)  # no more than a meeting's own report, without its trend


def test_the_report_command_leaves_the_collector_as_it_found_it(tmp_path, capsys):
    """`kring report` turns Python's cycle collector off while it works (a report holds
    no cycles), and on again after: a caller in the same process keeps its collector."""
    import gc

    from kring.tui.cli import main

    db = str(tmp_path / "kring.db")
    assert gc.isenabled()
    assert main(["--db", db, "report", "--format", "json"]) == 2  # no meeting yet: one line, exit 2
    assert gc.isenabled()
    capsys.readouterr()

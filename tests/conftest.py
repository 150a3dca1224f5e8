"""Shared fixtures. They keep the developer's own store, config and locale out of tests."""

from __future__ import annotations

import os

# Before any kring module loads: interface strings are translated at import.
os.environ["KRING_LANG"] = "nl"
os.environ.pop("KRING_DB", None)

import pytest  # noqa: E402

from kring.data import i18n  # noqa: E402
from kring.data.core.clock import FakeClock  # noqa: E402
from kring.data.labels import use_zone  # noqa: E402

i18n.setup("nl")


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """No test reads or writes the developer's own data, config or locale: the config
    folder (and with it config.toml) is the test's own, and no setting of the
    developer's environment leaks in."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("KRING_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("KRING_LANG", "nl")
    monkeypatch.delenv("KRING_DB", raising=False)
    i18n.setup("nl")  # a test that spoke English leaves none of it to the next
    use_zone(None)  # nor one that showed times in another zone: each moment as it carries it
    for name in ("THEME", "KEYMAP", "SHARED_GROUP", "SMTP_HOST", "SMTP_PORT", "SMTP_USER", "SMTP_FROM",
                 "SMTP_PASSWORD", "TIMEZONE"):
        monkeypatch.delenv(f"KRING_{name}", raising=False)
    yield


@pytest.fixture
def english(monkeypatch):
    """kring in English (--lang en): for tests that read what a message says word for
    word. Both languages of the error lines are checked in test_error_language. Not for
    Pilot tests: a screen translates its key labels once, when its module is imported."""
    monkeypatch.setenv("KRING_LANG", "en")
    i18n.setup("en")
    yield
    i18n.setup("nl")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock("2026-11-20T19:00:00+01:00")


@pytest.fixture
def db_url(tmp_path) -> str:
    """The store under test: SQLite by default, PostgreSQL when KRING_TEST_PG is set."""
    pg = os.environ.get("KRING_TEST_PG")
    if pg:
        from tests.pg import fresh_database

        return fresh_database(pg)
    return f"sqlite:///{tmp_path / 'kring.db'}"


@pytest.fixture
def db(tmp_path, monkeypatch):
    """A store file for in-process command-line calls, named by KRING_DB."""
    path = tmp_path / "store" / "kring.db"
    monkeypatch.setenv("KRING_DB", str(path))
    return path


@pytest.fixture
def store(db_url):
    from kring.data.store import Store

    s = Store(db_url)
    yield s
    s.close()


@pytest.fixture
def standaard():
    from kring.workformats.loader import find

    return find("standaard").model_dump(mode="json")


@pytest.fixture
def meeting_id(store, clock, standaard) -> int:
    from kring.data.meetings import create_meeting

    return create_meeting(store, standaard, ["Anouk", "Bram", "Fatima", "Joris", "Lotte"], clock)


@pytest.fixture
def make_app(store, clock):
    """Build the moderator App on the test store with the fake clock (no store watcher)."""

    def make(meeting_id: int, **kw):
        from kring.tui.app import KringApp

        kw.setdefault("watch", False)
        return KringApp(store, meeting_id, clock=clock, **kw)

    return make

"""kring notes in a real pseudo-terminal beside the moderator's: it follows the steps, and a
kill -9 or a hang-up mid-draft loses nothing."""

from __future__ import annotations


import pytest

from tests.ptyterm import Terminal, kring_env, open_store, wait_until


@pytest.fixture
def env(tmp_path):
    return kring_env(tmp_path, str(tmp_path / "kring.db"))


def test_follows_the_moderator_and_survives_kill_9_mid_draft(env):
    from kring.data.meetings import latest_meeting
    from kring.data.notes import draft_key, list_notes, load_draft

    mod = Terminal("demo", env=env)
    notes = None
    try:
        mod.wait_for("Stap 1 van 5: Inchecken")
        notes = Terminal("notes", "--as", "Sanne", env=env)
        notes.wait_for("Stap 1 van 5: Inchecken")
        notes.press(*"i: half getypt")
        notes.wait_for("Inzicht")  # the kind shows as it is typed
        store = open_store(env)
        meeting = latest_meeting(store)
        wait_until(lambda: load_draft(store, meeting, draft_key("Sanne", "notulist")))
        mod.press("n")
        notes.wait_for("Stap 2 van 5: Terugblik")  # followed by watching the store
        notes.kill()  # SIGKILL: the note-taker's terminal dies mid-draft
        notes = Terminal("notes", "--as", "Sanne", env=env)
        notes.wait_for("i: half getypt")
        notes.wait_for("terug")  # "Je onverstuurde notitie is terug"
        notes.press(*" en af", "enter")
        [note] = wait_until(lambda: list_notes(store, meeting))
        # filed under the step and speaker of its first keystroke, before the crash
        assert (note.kind, note.text, note.step_index, note.author) == ("insight", "half getypt en af", 0, "Sanne")
        assert load_draft(store, meeting, draft_key("Sanne", "notulist")) is None
        notes.press("\x11")  # ctrl+q
        notes.proc.wait(10)
        assert notes.proc.returncode == 0
    finally:
        mod.stop()
        if notes is not None:
            notes.stop()


def test_hang_up_mid_draft_saves_the_draft(env):
    from kring.data.meetings import latest_meeting
    from kring.data.notes import draft_key, load_draft

    mod = Terminal("demo", env=env)
    mod.wait_for("Stap 1 van 5")
    mod.press("q")
    mod.proc.wait(10)
    mod.stop()
    notes = Terminal("notes", "--as", "Sanne", env=env)
    try:
        notes.wait_for("Stap 1 van 5")
        notes.press(*"b: net getypt")
        notes.wait_for("Besluit")
        notes.hang_up()  # a dropped SSH connection
        notes.proc.wait(timeout=10)
    finally:
        notes.stop()
    store = open_store(env)
    draft = load_draft(store, latest_meeting(store), draft_key("Sanne", "notulist"))
    assert draft is not None and draft.text == "b: net getypt"


def test_no_live_meeting_is_one_line_and_exit_2(env, tmp_path):
    import subprocess

    from tests.ptyterm import KRING

    result = subprocess.run([KRING, "notes"], env={**env, "PATH": ""}, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("kring: ")
    result = subprocess.run([KRING, "notes", "--as", "  "], env={**env, "PATH": ""}, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2 and "--as" in result.stderr

"""Trust for user studies: forget that forgets, one truth across the log and Chroma, safe output.

Forget is checked where the data lives: the SQLite files of the event log and of Chroma are read
as bytes after a forget, and another tracker (standing in for another process, e.g. the running
app) must drop what it holds.
"""

from __future__ import annotations

import shutil
import socket
import sqlite3
from pathlib import Path

import pytest

from agent.session import ChatSession
from retrieval.errors import DriftrecError
from retrieval.settings import Settings
from tracking.events import Event, event_log_path
from tracking.service import Tracker, UserForgotten

SECRET_USER = "yorick-forgetme-51c9"  # no other test writes this id into the shared home


def _horror_events(tracker: Tracker, user: str, prefix: str) -> list[Event]:
    horror = tracker.movies[tracker.movies["genres"].map(lambda g: "Horror" in g)]["movie_id"].tolist()[:25]
    return [Event.new(user, "rating", movie_id=m, value=5, event_id=f"{prefix}-{m}") for m in horror]


def _file_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    wal = path.with_name(path.name + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def _closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # nothing listens there once the probe is closed


def test_forget_leaves_nothing_in_the_log_or_chromas_files(tracker: Tracker, trained_home: Settings):
    tracker.record(_horror_events(tracker, SECRET_USER, "secret"))
    summary = tracker.log.latest_profile_version(SECRET_USER)["payload"]["summary"]
    stored = tracker._profile_collection().get(ids=[SECRET_USER], include=["documents"])
    assert stored["documents"] == [summary]

    removed, chroma_done = tracker.forget(SECRET_USER)

    assert removed == 25 and chroma_done
    assert tracker._profile_collection().get(ids=[SECRET_USER])["ids"] == []
    assert tracker.log.outbox_size() == 0
    log_bytes = _file_bytes(event_log_path(trained_home))
    chroma_bytes = _file_bytes(trained_home.chroma_path / "chroma.sqlite3")
    assert SECRET_USER.encode() not in log_bytes
    assert summary.encode() not in chroma_bytes  # Chroma's write-ahead queue held it: purged
    with sqlite3.connect(trained_home.chroma_path / "chroma.sqlite3") as chroma:
        left = chroma.execute("SELECT operation, vector, metadata FROM embeddings_queue WHERE id = ?",
                              (SECRET_USER,)).fetchall()
        assert all(operation == 3 and vector is None and metadata in (None, "{}") for operation, vector, metadata in left), left
        assert chroma.execute("SELECT COUNT(*) FROM embedding_metadata WHERE string_value LIKE ?",
                              (f"%{SECRET_USER}%",)).fetchone()[0] == 0
        assert chroma.execute("SELECT COUNT(*) FROM embeddings_queue").fetchone()[0] > 0  # others' rows stay
    # what is left of the id is at most Chroma's delete marker (no vector, no text), until Chroma prunes it
    assert chroma_bytes.count(SECRET_USER.encode()) <= len(left)


def test_forget_ends_an_open_session_in_another_process(tracker: Tracker, trained_home: Settings):
    user = "forget-open-session"
    tracker.record(_horror_events(tracker, user, "open"))
    session = ChatSession(tracker, user)
    cards = session.recommendations()
    elsewhere = Tracker(trained_home)  # the CLI's `driftrec forget` while the app runs
    try:
        elsewhere.forget(user)
    finally:
        elsewhere.close()
    with pytest.raises(UserForgotten):
        session.react(cards[0]["movie_id"], "like")
    with pytest.raises(UserForgotten):
        list(session.stream("more comedies"))
    assert tracker.log.count(user) == 0 and tracker.log.profile_versions(user) == []
    assert tracker._profile_collection().get(ids=[user])["ids"] == []
    # the running process's cache no longer holds the old history either
    assert tracker.profile(user).interactions == 0


def test_feedback_and_forget_succeed_with_chroma_down_and_finish_when_it_is_back(trained_home: Settings):
    down = trained_home.model_copy(update={"chroma_url": _closed_port_url()})
    user = "chroma-down-user"
    offline = Tracker(down)
    try:
        offline.record(_horror_events(offline, user, "down"))  # committed; Chroma write queued, no error
        assert offline.log.profile_versions(user)
        assert offline.log.outbox_size() == 1
        removed, chroma_done = offline.forget(user)
        assert removed == 25 and not chroma_done
        pending = offline.log.outbox()
        assert [(p["user_id"], p["operation"]) for p in pending] == [(user, "delete")]  # the upsert is gone
        offline.forget(user)  # a retry is harmless, not "unknown user"
    finally:
        offline.close()
    online = Tracker(trained_home)  # Chroma back: the next tracker applies the outbox
    try:
        assert online.log.outbox_size() == 0
        assert online._profile_collection().get(ids=[user])["ids"] == []
        with pytest.raises(DriftrecError, match="unknown user"):
            online.forget(user)
    finally:
        online.close()


def test_a_version_and_its_chroma_write_are_one_commit(tracker: Tracker, trained_home: Settings):
    user = "outbox-user"
    tracker.record(_horror_events(tracker, user, "outbox"))
    version = tracker.log.latest_profile_version(user)["version"]
    record = tracker._profile_collection().get(ids=[user], include=["metadatas"])
    assert record["metadatas"][0]["version"] == version
    assert tracker.log.outbox_size() == 0


def test_user_ids_must_be_printable(tracker: Tracker):
    with pytest.raises(DriftrecError, match="printable"):
        Event.new("evil\x1b[31m", "like", movie_id=1)


@pytest.fixture
def own_home(trained_home: Settings, tmp_path: Path) -> Settings:
    """A private copy of the trained ml-100k home, for tests that break and repair it."""
    home = tmp_path / "home"
    shutil.copytree(trained_home.home, home)
    return trained_home.model_copy(update={"home": home})


def test_doctor_finds_the_log_and_chroma_apart_and_repairs_from_the_log(own_home: Settings):
    from tracking.doctor import examine, repair

    tracker = Tracker(own_home)
    try:
        assert examine(tracker).healthy, examine(tracker).findings
        tracker._profile_collection().delete(ids=["7"])  # a profile lost in Chroma
        tracker._profile_collection().upsert(ids=["ghost"], embeddings=[[0.1] * 32], documents=["left behind"])
        tracker.log.append_many([Event.new("crashed-before-version", "like", movie_id=1, event_id="c1")])
        report = examine(tracker)
        problems = {f.problem.split(" (")[0]: f.items for f in report.findings}
        assert problems["profiles missing or older in Chroma than in the log"] == ["7"]
        assert problems["Chroma profiles of users the log does not know"] == ["ghost"]
        assert problems["users with events but no profile version"] == ["crashed-before-version"]
        fixed = repair(tracker, report)
        assert fixed.healthy, fixed.findings
        assert len(fixed.repaired) == 3
        assert tracker._profile_collection().get(ids=["7"])["ids"] == ["7"]
        assert tracker._profile_collection().get(ids=["ghost"])["ids"] == []
    finally:
        tracker.close()


def test_doctor_command_exits_1_on_problems_and_0_once_repaired(own_home: Settings, capsys, monkeypatch):
    from tests.test_cli import run_cli

    tracker = Tracker(own_home)
    tracker._profile_collection().delete(ids=["9"])
    tracker.close()
    where = ["--home", str(own_home.home), "--data-dir", str(own_home.data_dir), "--dataset", "ml-100k"]
    code, out, _ = run_cli(["doctor", *where], capsys, monkeypatch)
    assert code == 1 and "missing or older in Chroma" in out and "--repair will" in out
    code, out, _ = run_cli(["doctor", "--repair", *where], capsys, monkeypatch)
    assert code == 0 and "Repaired" in out and "All consistent." in out


@pytest.mark.parametrize("args", [
    ["train", "--epochs", "0"], ["train", "--epochs", "-3"], ["train", "--dim", "0"], ["eval", "--seeds", "0"],
    ["chat", "--user", "1", "-k", "0"], ["chat", "--user", "1", "-k", "-1"], ["recommend", "--user", "1", "-k", "x"],
    ["ui", "--port", "-1"], ["ui", "--port", "70000"], ["forget"],
])
def test_bad_flags_are_one_line_and_exit_2(args, capsys, monkeypatch):
    from tests.test_cli import run_cli

    code, _, err = run_cli(args, capsys, monkeypatch)
    assert code == 2 and err.startswith("error:") and len(err.strip().splitlines()) == 1, err


def test_data_from_users_cannot_style_or_break_the_terminal(trained_home: Settings, capsys, monkeypatch, tmp_path):
    from tests.test_cli import run_cli

    where = ["--home", str(trained_home.home), "--data-dir", str(trained_home.data_dir), "--dataset", "ml-100k"]
    code, _, err = run_cli(["recommend", "--user", "[/red]", *where], capsys, monkeypatch)
    assert code == 2 and "unknown user '[/red]'" in err
    code, out, err = run_cli(["feedback", "--user", "[/x]", "--create", "--like", "1", *where], capsys, monkeypatch)
    assert code == 0 and "[/x]" in out, err
    tracker = Tracker(trained_home)
    try:
        assert tracker.log.count("[/x]") == 1  # stored once; no crash after storing, so no retry duplicates it
    finally:
        tracker.close()
    code, _, err = run_cli(["feedback", "--user", "bell\x07\x1b[2J", "--create", "--like", "1", *where], capsys, monkeypatch)
    assert code == 2 and "\x1b" not in err and "printable" in err
    code, _, err = run_cli(["profile", "--user", "1", "--plot", str(tmp_path), *where], capsys, monkeypatch)
    assert code == 2 and "give a file name" in err


def test_study_export_of_a_non_text_file_is_one_line(tmp_path: Path, capsys, monkeypatch):
    from tests.test_cli import run_cli

    (tmp_path / "broken.jsonl").write_bytes(b"\xff\xfe\x00 not utf-8")
    code, _, err = run_cli(["study", "export", str(tmp_path)], capsys, monkeypatch)
    assert code == 2 and "not UTF-8" in err and len(err.strip().splitlines()) == 1


def test_feedback_with_chroma_down_succeeds_and_says_the_chroma_write_waits(own_home: Settings, capsys, monkeypatch):
    from tests.test_cli import run_cli

    where = ["--home", str(own_home.home), "--data-dir", str(own_home.data_dir), "--dataset", "ml-100k"]
    code, out, err = run_cli(["feedback", "--user", "offline-fan", "--create", "--more-genre", "Comedy",
                              "--chroma-url", _closed_port_url(), *where], capsys, monkeypatch)
    assert code == 0 and "wait in the event log's outbox" in out, err
    code, out, _ = run_cli(["doctor", "--repair", *where], capsys, monkeypatch)  # Chroma (embedded) reachable again
    assert code == 0 and "All consistent." in out
    tracker = Tracker(own_home)
    try:
        assert tracker._profile_collection().get(ids=["offline-fan"])["ids"] == ["offline-fan"]
    finally:
        tracker.close()

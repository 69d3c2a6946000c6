"""The event log: append/read/idempotency, bulk import, concurrent writers, a killed import, forget,
isolation between users, profile versions and actionable errors. Real SQLite files, nothing mocked."""

from __future__ import annotations

import hashlib

import math
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evaluation.protocol import order_interactions
from retrieval.errors import DriftrecError
from retrieval.movielens import MovieLensData
from retrieval.settings import load_settings
from tracking.events import (
    Event,
    EventIdConflictError,
    EventKind,
    EventLog,
    EventSource,
    EventValidationError,
    event_log_path,
    history_event_id,
    open_event_log,
)
from retrieval.movielens import tie_break_key
from tracking.ingest import ingest_interactions

WRITER = Path(__file__).with_name("_event_writer.py")
SMALL_RATINGS = 100_836


def like(event_id: str, user: str = "alice", movie: int = 1, ts: float = 1_700_000_000.0) -> Event:
    return Event(event_id=event_id, user_id=user, kind=EventKind.LIKE, movie_id=movie, timestamp=ts, source="ui")


@pytest.fixture
def log(tmp_path: Path):
    with EventLog(tmp_path / "events.sqlite") as opened:
        yield opened


@pytest.fixture(scope="module")
def small_log_file(small: MovieLensData, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    """ml-latest-small ingested once into a log file shared by the read-only checks."""
    path = tmp_path_factory.mktemp("small") / "events.sqlite"
    with EventLog(path) as opened:
        report = ingest_interactions(opened, small.interactions, "ml-latest-small", progress=False)
    return path, report


# --- 1. append, read back, idempotency, validation ---------------------------------------------


def test_append_and_read_back_in_log_order(log: EventLog) -> None:
    events = [
        Event.new("alice", "rating", movie_id=1, value=4.5, timestamp=10, source="chat", event_id="a1"),
        Event.new("alice", "preference", attribute="genre:Horror", value=-1, hard=True, timestamp=11, event_id="a2"),
        Event.new("alice", EventKind.NOT_INTERESTED, movie_id=7, timestamp=12, source=EventSource.UI, event_id="a3"),
    ]
    assert [log.append(event) for event in events] == [True, True, True]
    stored = log.events_for("alice")
    assert stored == events
    assert [e.seq for e in stored] == sorted(e.seq for e in stored)
    assert stored[1].hard and stored[1].attribute == "genre:Horror" and stored[1].movie_id is None
    assert log.count() == 3 and log.count("alice") == 3 and log.users() == ["alice"]
    assert log.last_seq("alice") == stored[-1].seq
    assert log.events_for("alice", since_seq=stored[0].seq) == events[1:]
    assert log.last_seq("nobody") == 0 and log.events_for("nobody") == []


def test_same_event_id_is_stored_once(log: EventLog) -> None:
    event = like("retry-1")
    assert log.append(event) is True
    assert log.append(event) is False  # the client retried: nothing new
    assert log.append_many([event, like("retry-2"), like("retry-2")]) == 1
    assert log.count() == 2


def test_reusing_an_id_for_a_different_event_raises_and_writes_nothing(log: EventLog) -> None:
    log.append(like("id-1", movie=1))
    with pytest.raises(EventIdConflictError, match="id-1"):
        log.append_many([like("id-2", movie=2), like("id-1", movie=99)])
    assert [e.event_id for e in log.events_for("alice")] == ["id-1"]  # the whole batch rolled back


def test_content_id_is_deterministic_when_the_caller_gives_none() -> None:
    first = Event.new("bob", "watch", movie_id=5, timestamp=100.0)
    again = Event.new("bob", "watch", movie_id=5, timestamp=100.0)
    other = Event.new("bob", "watch", movie_id=6, timestamp=100.0)
    same_in_other_types = Event.new("bob", EventKind.WATCH, movie_id=np.int64(5), value=1, timestamp=100, source="chat")
    assert first.event_id == again.event_id == same_in_other_types.event_id != other.event_id
    assert first.event_id.startswith("c:")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (dict(kind="rating", value=4.0), "needs a movie_id"),
        (dict(kind="preference", value=1.0), "needs an attribute"),
        (dict(kind="preference", attribute="Horror"), "facet:value"),
        (dict(kind="preference", attribute="genre:Horror", movie_id=3), "not a movie"),
        (dict(kind="rating", movie_id=1, value=7.0), "between 0.5 and 5"),
        (dict(kind="rating", movie_id=1, value=float("nan")), "finite"),
        (dict(kind="like", movie_id=1, hard=True), "only preferences"),
        (dict(kind="like", movie_id=1, attribute="genre:Drama"), "not an attribute"),
        (dict(kind="loved", movie_id=1), "kind must be one of"),
        (dict(kind="like", movie_id=1, source="email"), "source must be one of"),
        (dict(kind="like", movie_id=True), "whole number"),
        (dict(kind="like", movie_id=0), "positive"),
        (dict(kind="like", movie_id=1, user_id=""), "user_id"),
        (dict(kind="like", movie_id=1, timestamp=-5.0), "timestamp"),
        (dict(kind="like", movie_id=1, value="4"), "must be a number"),
    ],
)
def test_invalid_events_are_refused_with_the_field_to_fix(fields: dict, message: str) -> None:
    base = dict(event_id="e", user_id="alice", timestamp=1.0)
    with pytest.raises(EventValidationError, match=message):
        Event(**{**base, **fields})


def test_a_rating_needs_a_value() -> None:
    with pytest.raises(EventValidationError, match="needs a value"):
        Event.new("alice", "rating", movie_id=1)


def test_numpy_scalars_are_accepted_and_normalised(log: EventLog) -> None:
    event = Event.new(
        "alice", "rating", movie_id=np.int64(3), value=np.float32(3.5), timestamp=np.int64(9), event_id="n"
    )
    assert type(event.movie_id) is int and type(event.value) is float
    log.append(event)
    assert log.events_for("alice") == [event]


def test_log_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite"
    with EventLog(path) as first:
        first.append(like("keep"))
    with EventLog(path) as second:
        assert [e.event_id for e in second.events_for("alice")] == ["keep"]


# --- 2. bulk import of ml-latest-small ---------------------------------------------------------


def test_ingest_small_stores_every_rating_in_protocol_order(small: MovieLensData, small_log_file) -> None:
    path, report = small_log_file
    print(
        f"\ningest ml-latest-small: {report.total} events in {report.seconds:.2f} s "
        f"= {report.events_per_second:,.0f} events/s"
    )
    assert (report.total, report.new, report.already_present) == (SMALL_RATINGS, SMALL_RATINGS, 0)
    with EventLog(path) as log:
        assert log.count() == SMALL_RATINGS
        assert len(log.users()) == small.interactions["user_id"].nunique()
        rows = log.connection.execute(
            "SELECT event_id, user_id, movie_id, value, ts, kind, source FROM events ORDER BY seq"
        ).fetchall()
    stored = pd.DataFrame(rows, columns=["event_id", "user_id", "movie_id", "rating", "ts", "kind", "source"])
    # The log order is the evaluation protocol's order (user, time, sha256 tie-break), row for row.
    expected = order_interactions(small.interactions)
    assert stored["user_id"].tolist() == expected["user_id"].astype(str).tolist()
    assert stored["movie_id"].tolist() == expected["movie_id"].tolist()
    assert stored["ts"].tolist() == expected["timestamp"].astype(float).tolist()
    assert np.allclose(stored["rating"], expected["rating"])
    assert set(stored["kind"]) == {"rating"} and set(stored["source"]) == {"history"}
    first = expected.iloc[0]
    assert stored["event_id"].iloc[0] == history_event_id(
        "ml-latest-small", int(first["user_id"]), int(first["movie_id"]), int(first["timestamp"])
    )


def test_reingest_adds_nothing(small: MovieLensData, small_log_file, tmp_path: Path) -> None:
    path, _ = small_log_file
    copy = tmp_path / "events.sqlite"
    with EventLog(path) as source, EventLog(copy) as target:
        source.connection.backup(target.connection)
    with EventLog(copy) as log:
        again = ingest_interactions(log, small.interactions, "ml-latest-small", progress=False)
        assert (again.new, again.already_present) == (0, SMALL_RATINGS)
        assert log.count() == SMALL_RATINGS


def test_tie_break_key_matches_the_protocol_text(small: MovieLensData) -> None:
    sample = small.interactions.iloc[::97]
    users, movies = sample["user_id"].to_numpy(), sample["movie_id"].to_numpy()
    # PROTOCOL.md's own definition, written out pair by pair.
    expected = np.array(
        [int.from_bytes(hashlib.sha256(f"{u}:{m}".encode()).digest()[:8], "big") for u, m in zip(users, movies)],
        dtype=np.uint64,
    )
    assert tie_break_key(users, movies).dtype == np.uint64
    assert np.array_equal(tie_break_key(users, movies), expected)
    assert np.array_equal(tie_break_key(users.astype(str), movies), expected)  # string user ids too
    assert tie_break_key(np.array([], dtype=np.int64), np.array([], dtype=np.int64)).shape == (0,)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.drop(columns="timestamp"), "lack column"),
        (lambda f: f.assign(rating=f["rating"].where(f.index != 3, 9.0)), "rating"),
        (lambda f: f.assign(movie_id=f["movie_id"].where(f.index != 2, -1)), "movie_id"),
        (lambda f: f.assign(user_id=f["user_id"].astype(float)), "whole numbers"),
    ],
)
def test_ingest_refuses_bad_frames_before_writing(log: EventLog, change, message: str) -> None:
    frame = pd.DataFrame(
        {"user_id": [1, 1, 2, 2], "movie_id": [10, 11, 10, 12], "rating": [4.0, 3.5, 5.0, 1.0],
         "timestamp": [100, 101, 100, 100]}
    )
    with pytest.raises(DriftrecError, match=message):
        ingest_interactions(log, change(frame), "tiny", progress=False)
    assert log.count() == 0


def test_ingest_refuses_a_dataset_name_that_is_not_a_release_name(log: EventLog) -> None:
    frame = pd.DataFrame({"user_id": [1], "movie_id": [1], "rating": [4.0], "timestamp": [1]})
    with pytest.raises(DriftrecError, match="release name"):
        ingest_interactions(log, frame, "ml'; DROP TABLE events; --", progress=False)
    assert log.count() == 0


# --- 3. concurrent writers ---------------------------------------------------------------------


def test_two_processes_appending_for_the_same_user_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite"
    EventLog(path).close()
    go = tmp_path / "go"
    count = 500
    writers = [
        subprocess.Popen(
            [sys.executable, str(WRITER), "append", str(path), "shared", prefix, str(count), str(go)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for prefix in ("p", "q")
    ]
    for writer in writers:
        assert writer.stdout.readline().strip() == "ready"
    go.touch()  # both connections are open: release them together so their transactions interleave
    results = [writer.communicate(timeout=120) for writer in writers]
    for writer, (_, stderr) in zip(writers, results):
        assert writer.returncode == 0, stderr
        assert "locked" not in stderr
    with EventLog(path) as log:
        events = log.events_for("shared")
        assert {e.event_id for e in events} == {f"{p}-{i}" for p in ("p", "q") for i in range(count)}
        assert len(events) == 2 * count
        assert log.integrity_check() == ["ok"]
        # Each writer's own events stay in the order it appended them.
        for prefix in ("p", "q"):
            mine = [int(e.event_id.split("-")[1]) for e in events if e.event_id.startswith(prefix)]
            assert mine == list(range(count))


def test_concurrent_profile_saves_get_distinct_consecutive_versions(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite"
    EventLog(path).close()
    saved: list[int] = []
    errors: list[BaseException] = []

    def save(worker: int) -> None:
        # A connection per thread: the same locking as between processes.
        try:
            with EventLog(path) as own:
                for i in range(15):
                    saved.append(own.save_profile_version("alice", {"worker": worker, "i": i}, event_seq=i))
        except BaseException as error:  # collected and re-raised in the test thread
            errors.append(error)

    threads = [threading.Thread(target=save, args=(w,)) for w in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(saved) == list(range(1, 31))
    with EventLog(path) as log:
        assert [v["version"] for v in log.profile_versions("alice")] == list(range(1, 31))


def test_a_live_append_gets_in_while_a_bulk_import_runs(data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite"
    EventLog(path).close()
    child = subprocess.Popen(
        [sys.executable, str(WRITER), "ingest", str(path), str(data_dir), "1000"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert child.stdout.readline().strip() == "loaded", child.stderr.read()
    child.stdout.readline()  # the first batch is in: the import is running
    with EventLog(path) as log:
        for i in range(3):
            assert log.append(like(f"live-{i}", user="1", movie=i + 1))
        _, stderr = child.communicate(timeout=120)
        assert child.returncode == 0, stderr
        assert log.count() == SMALL_RATINGS + 3
        live = [e.seq for e in log.events_for("1") if e.event_id.startswith("live-")]
        # The live events landed between batches, not after the whole import.
        assert max(live) < log.last_seq()


def test_a_writer_that_cannot_get_the_lock_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite"
    with EventLog(path) as holder, EventLog(path, busy_timeout_s=0.2) as waiter:
        holder.connection.execute("BEGIN IMMEDIATE")  # another process in the middle of a long write
        with pytest.raises(DriftrecError, match="locked by another driftrec process"):
            waiter.append(like("late"))
        holder.connection.execute("ROLLBACK")
        assert waiter.append(like("late"))  # once the lock is free, the same call goes through


# --- 4. a killed import ------------------------------------------------------------------------


def test_import_killed_midway_keeps_every_acknowledged_event_and_finishes_on_rerun(
    small: MovieLensData, data_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "events.sqlite"
    batch = 100
    child = subprocess.Popen(
        [sys.executable, str(WRITER), "ingest", str(path), str(data_dir), str(batch)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert child.stdout.readline().strip() == "loaded", child.stderr.read()
    acknowledged = [child.stdout.readline().strip() for _ in range(5)]
    os.kill(child.pid, signal.SIGKILL)
    rest, _ = child.communicate(timeout=30)
    # Acks the child printed before it died also count; a torn last line (no newline) does not.
    acknowledged += [line for line in rest.split("\n")[:-1] if line]
    assert child.returncode == -signal.SIGKILL

    with EventLog(path) as log:
        assert log.integrity_check() == ["ok"]
        stored = log.count()
        assert 5 * batch <= stored < SMALL_RATINGS, "the import was not interrupted midway"
        assert all(log.has_event(event_id) for event_id in acknowledged)
        # Batches are all-or-nothing: the log holds exactly the first whole batches, in order.
        assert stored % batch == 0
        expected = order_interactions(small.interactions).iloc[:stored]
        movies = [row[0] for row in log.connection.execute("SELECT movie_id FROM events ORDER BY seq")]
        assert movies == expected["movie_id"].tolist()

        report = ingest_interactions(log, small.interactions, "ml-latest-small", progress=False)
        assert (report.new, report.already_present) == (SMALL_RATINGS - stored, stored)
        assert log.count() == SMALL_RATINGS
        assert log.integrity_check() == ["ok"]


# --- 5. forget, 6. isolation -------------------------------------------------------------------


def _two_users(log: EventLog) -> None:
    for i in range(5):
        log.append(like(f"a{i}", user="alice", movie=i + 1))
        log.append(like(f"b{i}", user="bob", movie=i + 100))
    log.save_profile_version("alice", {"v": 1}, event_seq=log.last_seq("alice"))
    log.save_profile_version("bob", {"v": 1}, event_seq=log.last_seq("bob"))


def test_forget_deletes_exactly_that_users_events_and_profile_versions(log: EventLog) -> None:
    _two_users(log)
    bob_before = (log.events_for("bob"), log.profile_versions("bob"))
    assert log.forget("alice") == 5
    assert log.events_for("alice") == [] and log.count("alice") == 0
    assert log.profile_versions("alice") == [] and log.latest_profile_version("alice") is None
    assert (log.events_for("bob"), log.profile_versions("bob")) == bob_before
    assert log.users() == ["bob"]
    assert log.forget("alice") == 0  # forgetting twice is harmless


def test_forget_leaves_no_copy_of_the_users_data_in_the_files(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite"
    with EventLog(path) as log:
        log.append(Event.new("zed-secret-user", "preference", attribute="genre:Zzqx-Secret-Genre", event_id="zq"))
        log.append(like("keep", user="bob"))
        log.forget("zed-secret-user")
        # Read the files while the log is still open: the WAL must not hold the data either.
        contents = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("events.sqlite"))
    assert b"Zzqx-Secret-Genre" not in contents and b"zed-secret-user" not in contents


def test_forget_leaves_no_copy_behind_when_the_users_rows_moved_in_page_splits(tmp_path: Path) -> None:
    """SQLite copies cells when a b-tree page splits and leaves the old copies in the page's unused
    middle, where secure_delete does not reach: without the rewrite after a forget, this sequence
    (an ml-100k-sized import, two chat users' 40 events each, then the secret user's 25) left the
    secret id twice in an index page."""
    path = tmp_path / "events.sqlite"
    with EventLog(path) as log:
        log.append_many([Event.new(str(u), "rating", movie_id=m, value=4, event_id=f"r{u}-{m}")
                         for u in range(1, 944) for m in range(1, 107)])
        for k in range(40):
            log.append(like(f"sp{k}", user="speed-test", movie=k + 1))
            log.append(like(f"u{k}", user=f"u-{k}", movie=k + 1))
        log.append_many([Event.new("yorick-secret", "rating", movie_id=m, value=5, event_id=f"secret-{m}") for m in range(1, 26)])
        log.forget("yorick-secret")
        contents = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("events.sqlite"))
        assert log.count("speed-test") == 40
    assert b"yorick-secret" not in contents


def test_one_users_events_never_appear_in_another_users_list(log: EventLog) -> None:
    log.append(like("b0", user="bob", movie=100))
    bob = log.events_for("bob")
    for i in range(20):
        log.append(like(f"a{i}", user="alice", movie=i + 1))
    log.append(Event.new("alice", "preference", attribute="genre:Horror", value=-1, hard=True, event_id="ah"))
    log.forget("alice")
    log.append(like("a-again", user="alice"))
    assert log.events_for("bob") == bob
    assert all(e.user_id == "alice" for e in log.events_for("alice"))
    # Look-alike ids are different users.
    for n, lookalike in enumerate(["bobby", "Bob", "bo"]):
        log.append(like(f"x{n}", user=lookalike, movie=1))
    assert log.events_for("bob") == bob


# --- 7. profile versions -----------------------------------------------------------------------


def test_profile_versions_count_up_and_read_back_in_order(log: EventLog) -> None:
    payloads = [{"vector": [0.1, 0.2], "summary": f"step {n}"} for n in range(3)]
    versions = [log.save_profile_version("alice", payload, event_seq=10 * n) for n, payload in enumerate(payloads)]
    assert versions == [1, 2, 3]
    assert log.save_profile_version("bob", {"x": 1}, event_seq=0) == 1  # numbering is per user
    stored = log.profile_versions("alice")
    assert [v["version"] for v in stored] == [1, 2, 3]
    assert [v["payload"] for v in stored] == payloads
    assert [v["event_seq"] for v in stored] == [0, 10, 20]
    assert log.latest_profile_version("alice")["version"] == 3
    assert log.latest_profile_version("nobody") is None


def test_a_payload_that_is_not_json_is_refused_and_no_version_is_used(log: EventLog) -> None:
    with pytest.raises(ValueError):
        log.save_profile_version("alice", {"score": math.nan}, event_seq=1)
    with pytest.raises(TypeError):
        log.save_profile_version("alice", {"vector": np.zeros(2)}, event_seq=1)
    assert log.save_profile_version("alice", {"ok": True}, event_seq=1) == 1


# --- errors and location -----------------------------------------------------------------------


def test_event_log_lives_in_driftrec_home(isolated_home: Path) -> None:
    settings = load_settings()
    assert event_log_path(settings) == isolated_home / "events.sqlite"
    with open_event_log(settings) as log:
        log.append(like("x"))
    assert (isolated_home / "events.sqlite").is_file()


def test_unwritable_location_names_the_path_and_driftrec_home(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the home folder should be")
    with pytest.raises(DriftrecError, match="DRIFTREC_HOME") as caught:
        EventLog(blocker / "events.sqlite")
    assert str(blocker / "events.sqlite") in str(caught.value)


def test_a_file_that_is_not_a_database_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(DriftrecError, match="not a readable driftrec event log"):
        EventLog(path)

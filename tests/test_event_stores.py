"""The event log's contract, checked on both backends: the SQLite file and a real PostgreSQL server.

Each test gets a fresh log of each kind (``store`` is parametrised); the PostgreSQL one is a new
database on the session's server (``events_url`` in conftest). Tests of one backend's own
mechanics (SQLite's WAL and locking, PostgreSQL's write lock) are at the end.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from retrieval.errors import DriftrecError
from retrieval.movielens import MovieLensData
from retrieval.settings import load_settings
from tracking.events import (
    UNDO_PREFIX,
    Event,
    EventIdConflictError,
    EventKind,
    EventLog,
    EventStore,
    open_event_log,
    user_key,
)
from tracking.ingest import ingest_interactions


def _open(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> tuple[EventStore, str]:
    """A fresh log of ``kind`` and the location another process can open it from."""
    if kind == "sqlite":
        path = str(tmp_path / "events.sqlite")
        return EventLog(path), path
    url = request.getfixturevalue("events_url")
    return open_event_log(load_settings(events_url=url)), url


def _reopen(location: str) -> EventStore:
    if location.startswith("postgresql://"):
        return open_event_log(load_settings(events_url=location))
    return EventLog(location)


@pytest.fixture(params=["sqlite", "postgres"])
def opened(request: pytest.FixtureRequest, tmp_path: Path):
    store, location = _open(request.param, tmp_path, request)
    yield store, location
    store.close()


@pytest.fixture
def store(opened) -> EventStore:
    return opened[0]


def _like(user: str, movie: int, at: float) -> Event:
    return Event.new(user, EventKind.LIKE, movie_id=movie, timestamp=at)


def test_append_is_idempotent_and_reads_back_in_log_order(store: EventStore) -> None:
    events = [_like("ann", movie, 1000.0 + movie) for movie in (3, 1, 2)]
    assert store.append_many(events) == 3
    assert store.append_many(events) == 0  # a retried submission is stored once
    assert not store.append(events[0])
    back = store.events_for("ann")
    assert [e.movie_id for e in back] == [3, 1, 2]
    assert [e.seq for e in back] == sorted(e.seq for e in back)
    assert [e.event_id for e in back] == [e.event_id for e in events]
    assert store.events_for("ann", since_seq=back[0].seq) == back[1:]
    assert store.count() == store.count("ann") == 3 and store.count("bob") == 0
    assert store.last_seq("ann") == back[-1].seq and store.last_seq("bob") == 0
    assert store.has_event(events[1].event_id) and store.event(events[1].event_id) == back[1]


def test_an_id_reused_for_another_event_raises_and_writes_nothing(store: EventStore) -> None:
    first = _like("ann", 1, 1000.0)
    store.append(first)
    other = Event.new("ann", EventKind.DISLIKE, movie_id=2, event_id=first.event_id)
    with pytest.raises(EventIdConflictError, match="already stored for a different event"):
        store.append_many([_like("ann", 5, 1001.0), other])
    assert [e.movie_id for e in store.events_for("ann")] == [1]  # the whole batch was rolled back


def test_ingest_stores_the_same_events_in_the_same_order_on_both_backends(
    small: MovieLensData, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    frames = {}
    for kind in ("sqlite", "postgres"):
        store, _ = _open(kind, tmp_path / kind, request)
        with store:
            assert not store.has_history("ml-latest-small")
            report = ingest_interactions(store, small.interactions, "ml-latest-small", progress=False)
            assert report.new == len(small.interactions)
            assert ingest_interactions(store, small.interactions, "ml-latest-small", progress=False).new == 0
            assert store.has_history("ml-latest-small") and not store.has_history("ml-latest")
            frames[kind] = store.event_frame()
            one_user = [(e.event_id, e.movie_id, e.value, e.timestamp) for e in store.events_for("414")]
            frames[kind + "-414"] = one_user
            frames[kind + "-users"] = store.users()
    columns = ["user_id", "kind", "movie_id", "value", "ts"]
    sqlite, postgres = (frames[k][columns].astype({"user_id": str, "kind": str, "movie_id": "int64"})
                        for k in ("sqlite", "postgres"))
    pd.testing.assert_frame_equal(sqlite, postgres)
    assert frames["sqlite-414"] == frames["postgres-414"] and len(frames["sqlite-414"]) == 2698
    assert frames["sqlite-users"] == frames["postgres-users"]


def test_reactions_take_the_latest_and_leave_undone_ones_out(store: EventStore) -> None:
    liked = _like("ann", 1, 1000.0)
    rated = Event.new("ann", EventKind.RATING, movie_id=2, value=2.0, timestamp=1001.0)
    disliked = Event.new("ann", EventKind.DISLIKE, movie_id=1, timestamp=1002.0)
    store.append_many([liked, rated, disliked, _like("bob", 2, 1000.0)])
    assert store.reactions("ann", [1, 2, 3]) == {1: ("dislike", 1.0), 2: ("rating", 2.0)}
    store.append(Event.new("ann", EventKind.UNDO, attribute=UNDO_PREFIX + disliked.event_id, timestamp=1003.0))
    assert store.reactions("ann", [1]) == {1: ("like", 1.0)}


def test_forget_deletes_one_user_and_tells_other_processes(store: EventStore) -> None:
    store.append_many([_like("ann", 1, 1000.0), _like("bob", 2, 1000.0)])
    store.save_profile_version("ann", {"v": 1}, 1, chroma=("profiles", {"id": "ann"}))
    mark = store.last_forget()
    assert store.forget("ann", collection="profiles") == 1
    assert store.events_for("ann") == [] and store.profile_versions("ann") == []
    assert [e.user_id for e in store.events_for("bob")] == ["bob"]
    assert [(entry["user_id"], entry["operation"]) for entry in store.outbox()] == [("ann", "delete")]
    assert [key for _, key in store.forgotten_since(mark)] == [user_key("ann")]
    assert store.checkpoint()


def test_profile_versions_and_the_outbox(store: EventStore) -> None:
    assert [store.save_profile_version("ann", {"v": n}, n) for n in (1, 2, 3)] == [1, 2, 3]
    store.save_profile_version("bob", {"v": 1}, 1, chroma=("profiles", {"id": "bob"}))
    store.save_profile_version("bob", {"v": 2}, 2, chroma=("profiles", {"id": "bob"}))
    assert [v["payload"] for v in store.profile_versions("ann")] == [{"v": 1}, {"v": 2}, {"v": 3}]
    assert store.latest_profile_version("ann")["version"] == 3
    assert store.latest_versions() == {"ann": 3, "bob": 2}
    pending = store.outbox()
    assert len(pending) == 1 and pending[0]["payload"] == {"id": "bob", "version": 2}  # the newer replaced it
    store.outbox_failed(pending[0]["id"], "chroma down")
    assert store.outbox()[0]["attempts"] == 1 and store.outbox_users() == {"bob"}
    store.outbox_done([pending[0]["id"]])
    assert store.outbox_size() == 0
    with pytest.raises(ValueError):
        store.save_profile_version("ann", {"v": float("nan")}, 4)
    assert store.latest_profile_version("ann")["version"] == 3
    assert store.integrity_check() == ["ok"]


def _append_many_times(location: str, user: str, start: int, count: int) -> None:
    with _reopen(location) as log:
        for movie in range(start, start + count):
            log.append(_like(user, movie, 1000.0 + movie))


def _save_versions(location: str, count: int) -> None:
    with _reopen(location) as log:
        for n in range(count):
            log.save_profile_version("shared", {"n": n}, n)


def test_two_processes_writing_for_one_user_lose_nothing(opened) -> None:
    _, location = opened
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_append_many_times, args=(location, "shared", start, 150)) for start in (1, 1001)]
    workers += [context.Process(target=_save_versions, args=(location, 40)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    with _reopen(location) as log:
        assert sorted(e.movie_id for e in log.events_for("shared")) == [*range(1, 151), *range(1001, 1151)]
        assert [v["version"] for v in log.profile_versions("shared")] == list(range(1, 81))


# --- PostgreSQL's own mechanics -------------------------------------------------------------------


def test_postgres_commits_in_seq_order_so_catching_up_by_seq_skips_nothing(events_url: str) -> None:
    """A writer that starts while another transaction is open waits for it, so a later seq never
    commits first (a reader that caught up to seq N can then never miss an event below N)."""
    settings = load_settings(events_url=events_url)
    with open_event_log(settings) as first, open_event_log(settings) as second:
        late_seq: dict[str, int] = {}
        second_done = threading.Event()

        def write_second() -> None:
            second.append(_like("ann", 2, 1001.0))
            late_seq["seq"] = second.last_seq("ann")
            second_done.set()

        with first._write() as cursor:  # an open transaction that has inserted an event
            cursor.execute(
                "INSERT INTO events (event_id, user_id, kind, movie_id, value, hard, ts, source) "
                "VALUES ('open', 'ann', 'like', 1, 1, 0, 1000, 'chat') RETURNING seq"
            )
            (open_seq,) = cursor.fetchone()
            writer = threading.Thread(target=write_second)
            writer.start()
            assert not second_done.wait(0.5), "the second writer committed while an earlier one was open"
        writer.join(10)
        assert second_done.is_set() and late_seq["seq"] > open_seq
        assert [e.movie_id for e in first.events_for("ann")] == [1, 2]


def test_postgres_that_cannot_be_reached_says_what_to_do(postgres) -> None:
    from tracking.servers import free_port

    url = f"postgresql://driftrec@127.0.0.1:{free_port()}/driftrec"
    with pytest.raises(DriftrecError, match="start PostgreSQL, create the database, or fix --events-url"):
        open_event_log(load_settings(events_url=url))


def test_an_events_url_that_is_not_postgres_is_refused() -> None:
    with pytest.raises(ValueError, match="must start with postgresql://"):
        load_settings(events_url="mysql://somewhere/db")


def test_postgres_forget_leaves_the_rows_to_no_one(events_url: str) -> None:
    """After a forget, no table of the database holds the user's id (the log, versions, outbox)."""
    settings = load_settings(events_url=events_url)
    with open_event_log(settings) as log:
        log.append_many([_like("secret-user-7", 1, 1000.0), _like("bob", 1, 1000.0)])
        log.save_profile_version("secret-user-7", {"v": 1}, 1, chroma=("profiles", {"id": "secret-user-7"}))
        log.forget("secret-user-7")
        hits = log._read(
            "SELECT count(*) FROM events WHERE user_id = %s UNION ALL SELECT count(*) FROM profile_versions "
            "WHERE user_id = %s UNION ALL SELECT count(*) FROM outbox WHERE user_id = %s",
            ("secret-user-7",) * 3,
        )
        assert [row[0] for row in hits] == [0, 0, 0]

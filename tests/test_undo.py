"""Undo: a compensating event takes feedback back; the log stays append-only and the profile folds
as if the undone events had never been logged, in real time and on rebuild alike."""

from __future__ import annotations

import sqlite3

import pytest

from agent.session import ChatSession
from retrieval.errors import DriftrecError
from tracking.events import SCHEMA_VERSION, Event, EventKind, EventLog, EventValidationError, undone_event_id
from tracking.service import Tracker


def _ids(cards):
    return [card["movie_id"] for card in cards]


def test_undo_folds_as_if_the_event_was_never_logged(tracker: Tracker):
    base = [Event.new("u-undo", "rating", movie_id=m, value=4, timestamp=1000 + i, event_id=f"u{i}") for i, m in enumerate((1, 50, 181))]
    tracker.record(base)
    without = tracker.profile("u-undo").state()
    list_without = _ids(tracker.recommend("u-undo", 10))
    wrong = [Event.new("u-undo", "preference", attribute="genre:Comedy", value=-1, event_id="wrong-1"),
             Event.new("u-undo", "dislike", movie_id=56, event_id="wrong-2")]
    tracker.record(wrong)
    assert tracker.profile("u-undo").state() != without
    assert tracker.undo("u-undo", ["wrong-1", "wrong-2"]) == 2
    undone = tracker.profile("u-undo").state()
    assert undone["feedback"] == without["feedback"] and undone["counts"] == without["counts"]
    assert _ids(tracker.recommend("u-undo", 10)) == list_without
    assert tracker.rebuild("u-undo").state() == undone  # the history path agrees with the real-time one
    kinds = [e.kind for e in tracker.log.events_for("u-undo")]
    assert kinds.count(EventKind.UNDO) == 2 and len(kinds) == 7  # nothing deleted: append-only


def test_undo_is_idempotent_and_stays_with_its_user(tracker: Tracker):
    tracker.record([Event.new("u-a", "like", movie_id=1, event_id="a-like")])
    tracker.record([Event.new("u-b", "like", movie_id=2, event_id="b-like")])
    assert tracker.undo("u-a", ["a-like"]) == 1
    assert tracker.undo("u-a", ["a-like"]) == 0  # the same undo twice is stored once
    with pytest.raises(DriftrecError, match="not an event of user"):
        tracker.undo("u-a", ["b-like"])  # another user's event
    with pytest.raises(DriftrecError, match="not an event of user"):
        tracker.undo("u-a", ["no-such-event"])
    with pytest.raises(DriftrecError, match="cannot itself be undone"):
        tracker.undo("u-a", ["undo:a-like"])
    assert tracker.profile("u-b").interactions == 1


def test_an_undo_event_must_name_an_event():
    with pytest.raises(EventValidationError, match="event:<id"):
        Event.new("u", "undo", attribute="genre:Horror")
    with pytest.raises(EventValidationError, match="names an event"):
        Event.new("u", "undo", attribute="event:x", movie_id=3)


def test_a_schema_1_log_is_widened_keeping_rows_and_the_seq_counter(tmp_path):
    path = tmp_path / "events.sqlite"
    with EventLog(path) as log:
        log.append_many([Event.new("u", "like", movie_id=m, event_id=f"e{m}") for m in (1, 2, 3)])
    connection = sqlite3.connect(path)
    old_check = " OR ".join(f"kind = '{k}'" for k in ("rating", "watch", "like", "dislike", "not_interested", "preference"))
    connection.executescript(f"""
        CREATE TABLE old (seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, user_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK ({old_check}), movie_id INTEGER, attribute TEXT, value REAL NOT NULL,
            hard INTEGER NOT NULL DEFAULT 0 CHECK (hard IN (0, 1)), ts REAL NOT NULL, source TEXT NOT NULL,
            recorded_at REAL NOT NULL DEFAULT 0);
        INSERT INTO old SELECT * FROM events;
        DROP TABLE events;
        ALTER TABLE old RENAME TO events;
        UPDATE sqlite_sequence SET seq = 10 WHERE name = 'events';
        DELETE FROM events WHERE seq = 3;
        PRAGMA user_version = 1;
    """)
    connection.close()
    with EventLog(path) as log:  # opening migrates
        assert [e.event_id for e in log.events_for("u")] == ["e1", "e2"]
        log.append(Event.new("u", "undo", attribute="event:e1", event_id="undo:e1"))
        assert log.events_for("u")[-1].seq == 11  # seqs freed by deletes are never reused
        assert log.connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_undo_in_the_chat_takes_back_the_last_reading(tracker: Tracker):
    session = ChatSession(tracker, "u-chat-undo", None)
    session.send("I loved Toy Story and Heat")
    before = tracker.profile("u-chat-undo").state()
    list_before = _ids(session.recommendations(10))
    turn = session.send("less comedy, never horror")
    assert "Comedy" in turn.understood
    turn = session.send("that's not what I meant")
    assert turn.reply == "Undone: never Horror, fewer Comedy."
    after = tracker.profile("u-chat-undo").state()
    assert after["feedback"] == before["feedback"]
    assert turn.recommendations and _ids(session.recommendations(10)) == list_before
    assert session.send("undo").reply.startswith("Undone: you liked")  # one step further back
    assert session.send("undo").reply == "There is nothing left to undo."
    assert tracker.profile("u-chat-undo").interactions == 0


def test_undo_takes_back_a_button_press(tracker: Tracker):
    session = ChatSession(tracker, "u-button-undo", None)
    session.send("I loved Toy Story")
    cards = session.recommendations(5)
    first = cards[0]["movie_id"]
    session.react(first, "not_interested")
    assert first not in _ids(session.last_recommendations)
    note, cards = session.undo_last()
    assert note.startswith("Undone") and first in _ids(session.recommendations(5))



def _live_movie_preferences(tracker: Tracker, user_id: str) -> set[int]:
    """The movies the user's events, less the undone ones, ask for (a watchlist or "like X")."""
    events = tracker.log.events_for(user_id)
    undone = {taken for e in events if (taken := undone_event_id(e))}
    return {int(e.attribute.split(":")[1]) for e in events
            if e.event_id not in undone and e.kind == "preference" and (e.attribute or "").startswith("movie:")}


def test_a_correction_takes_back_the_previous_reading_and_reads_the_list_it_was_about(tracker: Tracker):
    session = ChatSession(tracker, "u-correction", None)
    shown = _ids(session.send("I loved Toy Story").recommendations)
    picked = session.send("the second")
    assert picked.understood.startswith("Noted: you'd like to watch")
    assert _live_movie_preferences(tracker, "u-correction") == {shown[1]}
    assert _ids(picked.recommendations) != shown
    turn = session.send("wait no, I meant the third")
    assert turn.understood.startswith("Undone: you'd like to watch") and "Noted: you'd like to watch" in turn.understood
    # "the third" is a card of the list "the second" was said of, not of the list shown since
    assert _live_movie_preferences(tracker, "u-correction") == {shown[2]}
    assert session.send("undo").reply.startswith("Undone: you'd like to watch")  # the correction itself
    assert _live_movie_preferences(tracker, "u-correction") == set()
    assert session.send("undo").reply.startswith("Undone: you liked")  # the corrected pick stays undone


def test_a_correction_after_a_turn_that_recorded_nothing_only_records(tracker: Tracker):
    session = ChatSession(tracker, "u-correction-2", None)
    session.send("I loved Toy Story")
    session.send("what is the first about?")
    turn = session.send("sorry, I meant comedies")
    assert turn.understood == "Noted: more Comedy."
    assert session.send("undo").reply == "Undone: more Comedy."
    assert session.send("undo").reply.startswith("Undone: you liked")

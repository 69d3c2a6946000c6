"""The tracker on real ml-100k data: real-time vs rebuild, feedback that acts, isolation, forget, CLI."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from retrieval.settings import Settings
from tracking.events import Event
from tracking.feedback import DECAY_PER_INTERACTION
from tracking.service import Tracker
from ui.cli import main


def _ids(cards):
    return [card["movie_id"] for card in cards]


def test_real_time_and_rebuild_give_the_same_profile(tracker: Tracker, small_user="u-rt"):
    events = [Event.new(small_user, "rating", movie_id=m, value=v, timestamp=1000 + i, source="chat", event_id=f"rt{i}")
              for i, (m, v) in enumerate([(1, 5), (50, 4), (181, 3.5), (172, 4), (98, 2)])]
    events.insert(2, Event.new(small_user, "preference", attribute="genre:Horror", value=-1, event_id="rt-pref"))
    events.insert(4, Event.new(small_user, "dislike", movie_id=56, event_id="rt-dis"))
    events.append(Event.new(small_user, "preference", attribute="genre:War", value=-1, hard=True, event_id="rt-hard"))
    for event in events:  # real time: one event at a time, each updates the cached profile
        tracker.record([event])
    live = tracker.profile(small_user).state()
    live_list = _ids(tracker.recommend(small_user, 20))
    rebuilt = tracker.rebuild(small_user).state()
    assert live == rebuilt
    assert _ids(tracker.recommend(small_user, 20)) == live_list
    assert Tracker(tracker.settings).rebuild_all()[small_user].state() == live  # a fresh process, whole log


def test_bulk_history_rebuild_equals_event_by_event_fold(tracker: Tracker):
    bulk = tracker.rebuild_all()
    for user_id in ("1", "42", "943"):
        assert bulk[user_id].state() == tracker.rebuild(user_id).state()
        assert bulk[user_id].interactions == tracker.log.count(user_id)


def test_repeated_submission_is_stored_once(tracker: Tracker):
    event = Event.new("u-dup", "like", movie_id=1, event_id="click-123")
    assert tracker.record([event]) == 1
    assert tracker.record([event]) == 0
    assert tracker.profile("u-dup").interactions == 1


@pytest.mark.parametrize("user_id", ["1", "13", "92", "234", "405", "655"])
def test_less_horror_removes_horror_from_the_next_top_10(tracker: Tracker, user_id: str):
    before = tracker.recommend(user_id, 10)
    tracker.record([Event.new(user_id, "preference", attribute="genre:Horror", value=-1, event_id=f"lh-{user_id}")])
    after = tracker.recommend(user_id, 10)
    assert not [card["title"] for card in after if "Horror" in card["genres"]]
    if any("Horror" in card["genres"] for card in before):
        assert _ids(before) != _ids(after)


def test_disliked_movie_never_comes_back(tracker: Tracker):
    user_id = "7"
    first = tracker.recommend(user_id, 10)[0]["movie_id"]
    tracker.record([Event.new(user_id, "dislike", movie_id=first, event_id="dis-7")])
    assert first not in _ids(tracker.recommend(user_id, 50))
    # Neither liking it-like movies nor many new interactions bring it back.
    for i, movie in enumerate(_ids(tracker.recommend(user_id, 30))[:30]):
        tracker.record([Event.new(user_id, "rating", movie_id=movie, value=5, event_id=f"dis-7-r{i}")])
    assert first not in _ids(tracker.recommend(user_id, 200))
    assert tracker.explain(user_id, first)["status"] == "dislike"


def test_hard_rule_holds_and_soft_feedback_fades(tracker: Tracker):
    user_id = "21"
    tracker.record([
        Event.new(user_id, "preference", attribute="genre:Comedy", value=-1, hard=True, event_id="h21"),
        Event.new(user_id, "preference", attribute="genre:Drama", value=+1, event_id="s21"),
    ])
    belief = tracker.profile(user_id).feedback.beliefs["genre:Drama"]
    start = belief.mean
    assert start > 0
    for i, movie in enumerate(_ids(tracker.recommend(user_id, 10))):
        tracker.record([Event.new(user_id, "watch", movie_id=movie, event_id=f"w21-{i}")])
    faded = tracker.profile(user_id).feedback.beliefs["genre:Drama"].mean
    assert faded == pytest.approx(start * DECAY_PER_INTERACTION**10)
    assert not any("Comedy" in card["genres"] for card in tracker.recommend(user_id, 100))


def test_one_users_feedback_never_changes_another_users_list(tracker: Tracker):
    before = tracker.recommend("300", 20)
    tracker.record([Event.new("301", "preference", attribute="genre:Drama", value=-1, hard=True, event_id="iso-301")])
    tracker.record([Event.new("301", "dislike", movie_id=before[0]["movie_id"], event_id="iso-301b")])
    assert tracker.recommend("300", 20) == before


def test_breakdown_adds_up(tracker: Tracker):
    tracker.record([Event.new("55", "preference", attribute="genre:Action", value=+1, event_id="bd55")])
    for card in tracker.recommend("55", 10):
        parts = card["breakdown"]
        assert parts["prior_logit"] == pytest.approx(parts["long_term"] + parts["short_term"] + parts["popularity"] + parts["recent_shift"], abs=1e-4)
        assert parts["posterior_logit"] == pytest.approx(parts["prior_logit"] + parts["feedback_total"], abs=1e-4)
        assert parts["feedback_total"] == pytest.approx(sum(parts["feedback"].values()), abs=1e-4)
        assert ("genre:Action" in parts["feedback"]) == ("Action" in card["genres"])
        assert 0 < parts["posterior_probability"] < 1 and parts["uncertainty"] > 0
        assert all(h["contribution"] > 0 for h in parts["history"])
    scores = [card["score"] for card in tracker.recommend("55", 10)]
    assert scores == sorted(scores, reverse=True)


def test_profile_versions_follow_a_change_of_taste(tracker: Tracker):
    user_id = "77"
    first = len(tracker.log.profile_versions(user_id))
    assert first >= 1  # written at ingest
    horror = tracker.movies[tracker.movies["genres"].map(lambda g: "Horror" in g)]["movie_id"].tolist()[:25]
    tracker.record([Event.new(user_id, "rating", movie_id=m, value=5, event_id=f"v77-{m}") for m in horror])
    versions = tracker.log.profile_versions(user_id)
    assert len(versions) > first
    assert "Horror" in versions[-1]["payload"]["top_genres_short"]
    stored = tracker._profile_collection().get(ids=[user_id], include=["metadatas", "documents"])
    assert stored["metadatas"][0]["version"] == versions[-1]["version"]


def test_forget_deletes_only_that_user(tracker: Tracker):
    other = tracker.recommend("101", 10)
    removed, _ = tracker.forget("100")
    assert removed > 0 and not tracker.user_exists("100")
    assert tracker.log.profile_versions("100") == []
    assert tracker._profile_collection().get(ids=["100"])["ids"] == []
    assert tracker.recommend("101", 10) == other


def _cli(args, capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["driftrec", *args])
    try:
        main()
        code = 0
    except SystemExit as stop:
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["recommend", "--user", "nobody"], "unknown user 'nobody'"),
        (["feedback", "--user", "5", "--less-genre", "Horor"], "unknown genre 'Horor'; known genres: unknown, Action"),
        (["feedback", "--user", "5", "--like", "Star Warz", "--less-genre", "Horror"], "unknown movie 'Star Warz'"),
        (["feedback", "--user", "5", "--years", "1999-1990"], "the range ends before it starts"),
        (["feedback", "--user", "ghost", "--like", "1"], "unknown user 'ghost'"),
        (["explain", "--user", "5", "--movie", "999999"], "unknown movie '999999'"),
    ],
)
def test_cli_bad_input_writes_nothing(trained_home: Settings, capsys, monkeypatch, args, message):
    tracker = Tracker(trained_home)
    before = tracker.log.count()
    tracker.close()
    flags = ["--home", str(trained_home.home), "--data-dir", str(trained_home.data_dir), "--dataset", "ml-100k"]
    code, out, err = _cli([*args, *flags], capsys, monkeypatch)
    assert code == 2 and message in " ".join(err.split()) and "Traceback" not in err
    tracker = Tracker(trained_home)
    assert tracker.log.count() == before
    tracker.close()


def test_cli_feedback_recommend_explain_json(trained_home: Settings, capsys, monkeypatch):
    flags = ["--home", str(trained_home.home), "--data-dir", str(trained_home.data_dir), "--dataset", "ml-100k", "--json"]
    code, out, _ = _cli(["feedback", "--user", "cli-new", "--create", "--like", "Toy Story", "--more-genre", "comedy", "--years", "1990-1999", *flags], capsys, monkeypatch)
    assert code == 0
    assert json.loads(out)["understood"] == ["like Toy Story", "more Comedy", "more 1990-1999"]
    code, out, _ = _cli(["recommend", "--user", "cli-new", "-k", "5", *flags], capsys, monkeypatch)
    cards = json.loads(out)
    assert code == 0 and len(cards) == 5 and 1 not in _ids(cards)
    assert all("Comedy" in c["genres"] or 1990 <= (c["year"] or 0) <= 1999 for c in cards)
    code, out, _ = _cli(["explain", "--user", "cli-new", "--movie", str(cards[0]["movie_id"]), *flags], capsys, monkeypatch)
    assert code == 0 and json.loads(out)["rank"] == 1
    code, out, _ = _cli(["profile", "--user", "cli-new", *flags], capsys, monkeypatch)
    assert code == 0 and json.loads(out)["interactions"] == 1


def test_interest_timeline_replays_history_at_its_dates_and_moves_with_feedback(tracker: Tracker, tmp_path: Path):
    from tracking.timeline import plot_timeline

    user_id = "88"
    history = tracker.timeline(user_id)
    ratings = len(tracker.log.events_for(user_id))
    points = history.drop_duplicates("point")
    assert points["events"].iloc[-1] == ratings and points["events"].is_monotonic_increasing
    assert (points["time"].dt.year < 2000).all() and points["when"].is_unique
    documentaries = tracker.movies[tracker.movies["genres"].map(lambda g: "Documentary" in g)]["movie_id"].tolist()[:15]
    tracker.record([Event.new(user_id, "watch", movie_id=m, source="cli", event_id=f"tl88-{m}") for m in documentaries])
    tracker.record([Event.new(user_id, "preference", attribute="genre:Documentary", value=-1, source="chat",
                              event_id="tl88-less")])
    frame = tracker.timeline(user_id)
    last_two = frame[frame["genre"] == "Documentary"].pivot(index="point", columns="horizon", values="share").iloc[-2:]
    assert last_two["recent"].iloc[-1] > 0.5  # the short-term part follows the 15 documentaries
    assert last_two["recommended"].iloc[-1] < last_two["recommended"].iloc[0] / 2  # "less documentary" moves it
    assert frame.drop_duplicates("point")["after"].iloc[-1] == "less Documentary"
    png = plot_timeline(frame, tmp_path / "timeline.png", "user 88")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_timeline_of_a_user_without_events_is_empty(tracker: Tracker):
    assert tracker.timeline("nobody-yet").empty


def test_record_refuses_unknown_facets_and_movies_before_writing(tracker: Tracker):
    from retrieval.errors import DriftrecError

    before = tracker.log.count()
    good = Event.new("u-facet", "like", movie_id=1, event_id="facet-good")
    for bad in (
        Event.new("u-facet", "preference", attribute="genre:Horor", event_id="facet-bad1"),
        Event.new("u-facet", "preference", attribute="mood:cheerful", event_id="facet-bad2"),
        Event.new("u-facet", "like", movie_id=99_999_999, event_id="facet-bad3"),
    ):
        with pytest.raises(DriftrecError):
            tracker.record([good, bad])
    assert tracker.log.count() == before

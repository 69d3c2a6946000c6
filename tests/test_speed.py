"""The speed benchmark in quick mode on a small padded catalog: structure and same lists, no timings.

Timings on a shared CI machine say nothing; what must hold everywhere is that the benchmark runs,
writes its report, and that every path it times (``recommend``, the raw scoring path, the naive
baseline and the rebuild baseline) gives the same top-10 lists, so the ratios
compare like with like.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from evaluation.speed import (
    TARGETS,
    NaiveRecommender,
    SpeedConfig,
    build_setup,
    card_ids,
    measure_ingest,
    pick_users,
    pad_catalog,
    raw_top,
    real_subset,
    run_benchmark,
    synthetic_tables,
    write_results,
)
from retrieval.movielens import MovieLensData
from tracking.events import Event, open_event_log
from tracking.service import Tracker

MOVIES = 5_000
USERS = 10


@pytest.fixture(scope="module")
def result(data_dir: Path) -> dict:
    """One quick run on 5,000 movies and 10 users (a few seconds)."""
    return run_benchmark(SpeedConfig.quick_mode(movies=MOVIES, users=USERS), data_dir, profile=False)


def test_every_path_gives_the_same_top_10(result: dict):
    assert result["recommend"]["same_top10"] == {"users": USERS, "identical": USERS}
    assert result["feedback"]["same_top10"] == {"users": USERS, "identical": USERS}


def test_result_structure(result: dict):
    assert result["setup"]["movies"] == MOVIES
    assert result["setup"]["users_timed"] == USERS
    for part, paths in (("recommend", ("ours", "raw", "raw_shift", "naive")), ("feedback", ("ours", "rebuild"))):
        for path in paths:
            figures = result[part][path]
            assert figures["n"] == USERS
            assert 0 < figures["p50_ms"] <= figures["p99_ms"]
    assert set(result["targets"]) == set(TARGETS)
    assert all(isinstance(target["pass"], bool) for target in result["targets"].values())
    assert result["ingest"]["ours"]["runs"][0]["events"] == result["setup"]["ratings"]
    assert result["ingest"]["naive"]["events"] == SpeedConfig.quick_mode().naive_ingest_events
    assert all(ratio > 0 for ratio in result["ratios"].values())
    assert result["machine"]["torch_threads"] == 1


def test_report_files(result: dict, tmp_path: Path):
    write_results(result, tmp_path)
    stored = json.loads((tmp_path / "speed.json").read_text())
    assert stored["figures"] == pytest.approx(result["figures"])
    text = (tmp_path / "speed.md").read_text()
    assert "recommend top-10 p50" in text
    assert "-CPU VM, on one thread" in text
    assert "Load average" in text
    assert "Where the time goes" in text
    assert not (tmp_path / "profile.txt").exists()


def test_padding_keeps_real_movies_and_adds_synthetic_ones(small: MovieLensData):
    rng = np.random.default_rng(0)
    catalog = pad_catalog(small.catalog, len(small.catalog) + 100, rng)
    assert len(catalog) == len(small.catalog) + 100
    assert catalog.movies["movie_id"].is_unique
    assert catalog.movie_ids[-100:].min() > small.catalog.movie_ids.max()
    assert set(g for genres in catalog.movies["genres"] for g in genres) <= set(small.catalog.genre_vocabulary)
    tables = synthetic_tables(catalog.movie_ids, 8, 5, rng)
    assert np.all(np.diff(tables.movie_ids) > 0) and tables.item_vectors.shape == (len(catalog), 9)


def test_a_small_catalog_keeps_only_ratings_of_kept_movies(small: MovieLensData):
    catalog, interactions = real_subset(small, 1_000)
    assert len(catalog) == 1_000
    assert interactions["movie_id"].isin(catalog.movie_ids).all()


@pytest.fixture(scope="module")
def small_tracker(data_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """A tracker on the padded 5,000-movie setup with every rating imported."""
    setup = build_setup(SpeedConfig.quick_mode(movies=MOVIES), data_dir, tmp_path_factory.mktemp("speed-home"))
    log = open_event_log(setup.settings)
    measure_ingest(log, setup.interactions)
    tracker = Tracker(setup.settings, catalog=setup.catalog, tables=setup.tables, log=log)
    tracker.rebuild_all()
    yield tracker, pick_users(setup.interactions, 4, seed=1)
    tracker.close()


def test_baseline_follows_hard_rules_dislikes_and_soft_feedback(small_tracker):
    """The feedback kinds the timed runs do not use: the comparison must hold for them too."""
    tracker, users = small_tracker
    naive = NaiveRecommender(tracker.tables, tracker.features, tracker.movies)
    for user in users:
        disliked = tracker.recommend(user, 10)[0]["movie_id"]
        tracker.record([
            Event.new(user, "preference", attribute="genre:Drama", value=-1, hard=True, event_id=f"t-hard-{user}"),
            Event.new(user, "dislike", movie_id=disliked, event_id=f"t-dislike-{user}"),
            Event.new(user, "preference", attribute="years:1990-1999", value=1, event_id=f"t-years-{user}"),
        ])
        cards = tracker.recommend(user, 10)
        assert disliked not in card_ids(cards)
        assert not any("Drama" in card["genres"] for card in cards)
        baseline = naive.recommend(tracker.profile(user), 10)
        assert baseline["movie_id"].tolist() == card_ids(cards)
        assert np.allclose([card["score"] for card in cards], baseline["probability"], rtol=1e-4)
        assert raw_top(tracker.tables, tracker.features, tracker.profile(user), 10) == card_ids(cards)

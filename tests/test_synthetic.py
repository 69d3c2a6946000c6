"""The synthetic ml-25m-shaped release: readable by the real loader, heavy-tailed, with a change of taste."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from evaluation.synthetic import MIN_RATINGS, write_release
from retrieval.movielens import load_dataset


def test_a_small_synthetic_release_loads_and_has_the_shape_it_promises(tmp_path: Path):
    write_release(tmp_path, users=400, movies=1500, ratings=60_000, seed=1)
    data = load_dataset("ml-25m", tmp_path)
    per_user = data.interactions.groupby("user_id").size()
    assert per_user.min() >= MIN_RATINGS and per_user.max() > 3 * per_user.median()  # heavy-tailed activity
    per_movie = data.interactions["movie_id"].value_counts()
    assert per_movie.iloc[0] > 10 * per_movie.median()  # heavy-tailed popularity
    assert not data.interactions.duplicated(["user_id", "movie_id"]).any()
    genres = data.catalog.movies.set_index("movie_id")["genres"].map(lambda g: g[0])
    ordered = data.interactions.sort_values(["user_id", "timestamp"])
    ordered["main"] = ordered["movie_id"].map(genres).to_numpy()
    halves = ordered.groupby("user_id")["main"].agg(
        lambda g: (g.iloc[: len(g) // 2].mode().iloc[0], g.iloc[len(g) // 2 :].mode().iloc[0]))
    changed = np.mean([early != late for early, late in halves])
    assert changed > 0.8  # most users' favourite genre moves between the halves of their history

"""A synthetic MovieLens release shaped like ml-25m, for speed and memory at scale.

Usage::

    python -m evaluation.synthetic OUT_DIR [--users 162541] [--movies 62423] [--ratings 25000095] [--seed 0]

writes ``OUT_DIR/ml-25m/{movies.csv, ratings.csv}`` in the GroupLens CSV layout, so every loader
and command reads it as ``--data-dir OUT_DIR --dataset ml-25m``. The shape follows the real
release where it matters for cost: heavy-tailed popularity (Zipf over each genre's movies),
heavy-tailed user activity (log-normal, at least 20 ratings as in MovieLens), half-star ratings,
25 years of timestamps, and a change of taste: each user's ratings drift from one favourite genre
to another halfway through their history. It is not real data: use it for time and memory only.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

GENRES = ("Action", "Adventure", "Animation", "Children", "Comedy", "Crime", "Documentary", "Drama", "Fantasy",
          "Film-Noir", "Horror", "IMAX", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western")
ML_25M = {"users": 162_541, "movies": 62_423, "ratings": 25_000_095}
MIN_RATINGS = 20
OVERSAMPLE = 3
TASTE_SHARE = 0.7
"""Share of a user's ratings drawn from their favourite genre of the moment (the rest: any movie)."""


def movies_table(n_movies: int, rng: np.random.Generator) -> pd.DataFrame:
    """Movies with one to three genres (the first is the movie's main genre) and a year."""
    main = rng.integers(0, len(GENRES), n_movies)
    extra = rng.integers(0, len(GENRES), (n_movies, 2))
    keep = rng.random((n_movies, 2)) < np.array([0.5, 0.2])
    names = np.array(GENRES)
    genres = [
        "|".join(dict.fromkeys([names[m], *names[e[k]]]))
        for m, e, k in zip(main, extra, keep)
    ]
    years = rng.integers(1920, 2020, n_movies)
    titles = [f"Synthetic Movie {i} ({y})" for i, y in zip(range(1, n_movies + 1), years)]
    return pd.DataFrame({"movieId": np.arange(1, n_movies + 1), "title": titles, "genres": genres, "main": main})


def ratings_table(movies: pd.DataFrame, n_users: int, n_ratings: int, rng: np.random.Generator) -> pd.DataFrame:
    """Ratings with heavy tails in both directions and a mid-history change of favourite genre."""
    activity = rng.lognormal(0.0, 1.1, n_users)
    counts = np.maximum(MIN_RATINGS, np.round(activity / activity.sum() * n_ratings)).astype(np.int64)
    counts = np.minimum(counts, len(movies) // 4)
    drawn = counts * OVERSAMPLE  # a user rates a movie once: draw more, keep the first distinct ones
    users = np.repeat(np.arange(1, n_users + 1), drawn)
    position = np.arange(len(users)) - np.repeat(np.cumsum(drawn) - drawn, drawn)
    late = position >= np.repeat(drawn // 2, drawn)
    first, second = rng.integers(0, len(GENRES), n_users), rng.integers(0, len(GENRES), n_users)
    genre = np.where(late, second[users - 1], first[users - 1])
    on_taste = rng.random(len(users)) < TASTE_SHARE
    frame = pd.DataFrame({"userId": users, "movieId": _zipf_pick(movies["main"].to_numpy(), genre, on_taste, rng) + 1,
                          "position": position, "key": rng.random(len(users))})
    frame = frame.drop_duplicates(["userId", "movieId"])
    # a random subset of each user's distinct draws, back in draw order: early and late tastes both remain
    frame = frame.sort_values(["userId", "key"], kind="stable")
    frame = frame[frame.groupby("userId").cumcount().to_numpy() < counts[frame["userId"].to_numpy() - 1]]
    frame = frame.sort_values(["userId", "position"], kind="stable")
    kept = frame.groupby("userId").size().reindex(np.arange(1, n_users + 1), fill_value=0).to_numpy()
    rank = frame.groupby("userId").cumcount().to_numpy()
    user_index = frame["userId"].to_numpy() - 1
    start = rng.integers(820_000_000, 1_500_000_000, n_users)  # 1995 to 2017
    span = rng.integers(86_400, 5 * 365 * 86_400, n_users)
    frame["timestamp"] = start[user_index] + (rank / np.maximum(kept[user_index], 1) * span[user_index]).astype(np.int64)
    frame["rating"] = np.clip(np.round(rng.normal(3.6, 1.0, len(frame)) * 2) / 2, 0.5, 5.0)
    return frame[["userId", "movieId", "rating", "timestamp"]]


def _zipf_pick(main: np.ndarray, genre: np.ndarray, on_taste: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A movie for every rating: Zipf over the movies of ``genre`` when on taste, over all otherwise."""
    n = len(main)
    popularity = 1.0 / np.arange(1, n + 1) ** 0.9
    popularity = popularity[rng.permutation(n)]  # popular movies spread over every genre
    picks = np.empty(len(genre), dtype=np.int64)
    everywhere = np.cumsum(popularity) / popularity.sum()
    off = ~on_taste
    picks[off] = np.minimum(np.searchsorted(everywhere, rng.random(off.sum())), n - 1)
    for g in range(len(GENRES)):
        members = np.flatnonzero(main == g)
        rows = np.flatnonzero(on_taste & (genre == g))
        if not len(members) or not len(rows):
            continue
        cumulative = np.cumsum(popularity[members]) / popularity[members].sum()
        picks[rows] = members[np.minimum(np.searchsorted(cumulative, rng.random(len(rows))), len(members) - 1)]
    return picks


def write_release(out_dir: Path, users: int, movies: int, ratings: int, seed: int = 0) -> Path:
    """Write the release under ``out_dir/ml-25m``; returns that folder."""
    rng = np.random.default_rng(seed)
    folder = Path(out_dir) / "ml-25m"
    folder.mkdir(parents=True, exist_ok=True)
    movie_table = movies_table(movies, rng)
    movie_table[["movieId", "title", "genres"]].to_csv(folder / "movies.csv", index=False)
    ratings_table(movie_table, users, ratings, rng).to_csv(folder / "ratings.csv", index=False)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.synthetic", description=__doc__.split("\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--users", type=int, default=ML_25M["users"])
    parser.add_argument("--movies", type=int, default=ML_25M["movies"])
    parser.add_argument("--ratings", type=int, default=ML_25M["ratings"])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    folder = write_release(args.out_dir, args.users, args.movies, args.ratings, args.seed)
    print(f"wrote {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

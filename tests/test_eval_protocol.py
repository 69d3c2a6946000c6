"""The split on real data, checked against a direct pandas computation, and its isolation from fit."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

from evaluation.drift import drift_subset
from evaluation.protocol import order_interactions, split_leave_last_out


def protocol_key(user: int, movie: int) -> int:
    return int.from_bytes(hashlib.sha256(f"{user}:{movie}".encode()).digest()[:8], "big")


@pytest.fixture(scope="module")
def small_split(small):
    return split_leave_last_out(small.catalog, small.interactions)


def test_split_matches_a_direct_pandas_computation(small, small_split):
    frame = small.interactions.copy()
    # Independent path: the key on every row (as Python ints), pandas' own sort.
    frame["key"] = [protocol_key(u, m) for u, m in zip(frame["user_id"], frame["movie_id"])]
    frame["key"] = frame["key"].astype("uint64")
    frame = frame.sort_values(["user_id", "timestamp", "key"], kind="mergesort")
    last = frame.groupby("user_id").tail(1).set_index("user_id")["movie_id"]
    second = frame.groupby("user_id").nth(-2).set_index("user_id")["movie_id"]

    test = small_split.test.set_index("user_id")["movie_id"]
    valid = small_split.valid.set_index("user_id")["movie_id"]
    assert len(test) == small.interactions["user_id"].nunique() == 610
    assert test.index.is_unique and valid.index.is_unique
    pd.testing.assert_series_equal(test.sort_index(), last.sort_index(), check_names=False)
    pd.testing.assert_series_equal(valid.sort_index(), second.sort_index(), check_names=False)
    assert len(small_split.train) + len(valid) + len(test) == len(small.interactions)


def test_ties_within_a_second_follow_the_hash_not_the_movie_id():
    frame = pd.DataFrame(
        {
            "user_id": [1, 1, 1, 1],
            "movie_id": [10, 20, 30, 40],
            "rating": np.ones(4, dtype=np.float32),
            "timestamp": [5, 5, 5, 1],
        }
    )
    ordered = order_interactions(frame)
    tied = sorted([10, 20, 30], key=lambda m: protocol_key(1, m))
    assert ordered["movie_id"].tolist() == [40, *tied]


def test_catalog_is_every_rated_movie_by_id(small, small_split):
    ids = small_split.catalog.movie_ids
    assert len(ids) == small.interactions["movie_id"].nunique() == 9724
    assert np.all(np.diff(ids) > 0)
    positions = small_split.train["item"].to_numpy()
    assert np.array_equal(ids[positions], small_split.train["movie_id"].to_numpy())


def test_no_held_out_item_reaches_fit(small_split):
    def pairs(frame):
        return set(zip(frame["user_id"].tolist(), frame["movie_id"].tolist()))

    test_pairs, valid_pairs = pairs(small_split.test), pairs(small_split.valid)
    assert not pairs(small_split.fit_data("test")) & test_pairs
    assert not pairs(small_split.fit_data("valid")) & (test_pairs | valid_pairs)
    assert valid_pairs <= pairs(small_split.fit_data("test"))


def test_test_history_is_train_then_validation_in_order(small_split):
    histories = small_split.histories("test")
    lengths = histories.lengths
    users = histories.user_ids
    last_items = histories.items[histories.offsets[1:] - 1]
    assert np.array_equal(last_items, small_split.target_items("valid", users))
    train_counts = small_split.train.groupby("user_id").size().reindex(users).to_numpy()
    assert np.array_equal(lengths, train_counts + 1)


def test_drift_subset_sizes_match_the_protocol_reference(small_split, ml100k):
    assert len(drift_subset(small_split)) == 116
    assert len(drift_subset(split_leave_last_out(ml100k.catalog, ml100k.interactions))) == 220


def test_llamarec_split_is_5_core_until_stable_and_ordered_by_time_then_movie(small) -> None:
    from evaluation.protocol import k_core, split_llamarec

    kept = k_core(small.interactions, 5)
    assert kept.groupby("user_id").size().min() >= 5 and kept.groupby("movie_id").size().min() >= 5
    assert len(kept) < len(small.interactions)  # some movies (and so ratings) drop out
    split = split_llamarec(small.catalog, small.interactions)
    assert len(split.train) + len(split.valid) + len(split.test) == len(kept)
    assert len(split.catalog) == kept["movie_id"].nunique()
    # the test item is the last by (timestamp, movie id) in each user's kept history
    last = kept.sort_values(["user_id", "timestamp", "movie_id"]).groupby("user_id").tail(1)
    assert split.test["movie_id"].tolist() == last.sort_values("user_id")["movie_id"].tolist()


def test_k_core_repeats_until_no_row_breaks_the_rule() -> None:
    import pandas as pd

    from evaluation.protocol import k_core

    # 2-core: movie 3 has one user, so (3, 3) goes; then user 3 has one rating left, so (3, 2) goes
    # too, which one pass would keep.
    frame = pd.DataFrame({"user_id": [1, 1, 2, 2, 3, 3], "movie_id": [1, 2, 1, 2, 2, 3],
                          "rating": 4.0, "timestamp": range(6)})
    kept = k_core(frame, 2)
    assert list(zip(kept["user_id"], kept["movie_id"])) == [(1, 1), (1, 2), (2, 1), (2, 2)]

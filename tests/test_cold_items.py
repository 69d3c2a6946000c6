"""The cold-movie evaluation: cold movies are gone from every input, and ranks among them are right."""

from __future__ import annotations

import numpy as np

from evaluation.cold_items import cold_rank, cold_split
from evaluation.protocol import split_leave_last_out
from retrieval.movielens import MovieLensData


def test_cold_movies_leave_the_fitting_data_and_the_histories(small: MovieLensData) -> None:
    split = split_leave_last_out(small.catalog, small.interactions)
    cold = cold_split(split, 0.1, seed=0)
    test_items = np.unique(split.targets("test")["item"].to_numpy())
    assert len(cold.cold) == round(0.1 * len(test_items)) and np.isin(cold.cold, test_items).all()
    assert not np.isin(cold.fit["item"].to_numpy(), cold.cold).any()
    assert not np.isin(cold.histories.items, cold.cold).any()
    assert np.isin(cold.targets, cold.cold).all() and len(cold.targets) == len(cold.histories) > 0
    again = cold_split(split, 0.1, seed=0)
    assert np.array_equal(again.cold, cold.cold)  # the seed fixes the choice


def test_rank_among_the_cold_movies_counts_ties_against_the_target() -> None:
    scores = np.array([[0.9, 0.5, 0.5, 0.1], [0.2, 0.8, 0.3, 0.9]], dtype=np.float32)
    cold = np.array([1, 2, 3])
    assert cold_rank(scores, np.array([2, 1]), cold).tolist() == [2, 2]

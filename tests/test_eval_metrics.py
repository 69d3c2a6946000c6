"""The ranking and every metric against hand-computed values on tiny cases."""

from __future__ import annotations

import math

import numpy as np
import pytest

from evaluation.drift import js_divergence
from evaluation.metrics import (
    PAD,
    coverage,
    hit_rate,
    intra_list_distance,
    list_metrics,
    ndcg,
    novelty,
    target_ranks,
    top_k,
)
from evaluation.protocol import Histories


def rank_of(scores: np.ndarray, target: int, history: list[int], k: int = 20) -> int:
    """Rank of ``target`` for one user with ``history`` excluded (0 = not in the top k)."""
    h = Histories.from_lists([history])
    lists = top_k(scores[None, :], k, h.row_of_entry, h.items)
    return int(target_ranks(lists, np.array([target]))[0])


def test_top_k_orders_by_score_then_lower_position_and_skips_history():
    scores = np.array([[0.5, 0.9, 0.9, 0.1, 0.9, 0.7]], dtype=np.float32)
    lists = top_k(scores, 4, np.array([0]), np.array([2]))  # item 2 is in the history
    assert lists.tolist() == [[1, 4, 5, 0]]


def test_top_k_all_equal_scores_is_catalog_order():
    lists = top_k(np.zeros((2, 5)), 3)
    assert lists.tolist() == [[0, 1, 2], [0, 1, 2]]


def test_top_k_pads_when_history_covers_the_catalog():
    scores = np.arange(4, dtype=np.float32)[None, :]
    h = Histories.from_lists([[0, 1, 2, 3]])
    lists = top_k(scores, 3, h.row_of_entry, h.items)
    assert lists.tolist() == [[PAD, PAD, PAD]]
    assert target_ranks(lists, np.array([2])).tolist() == [0]


def test_top_k_minus_infinity_still_recommendable_after_finite_scores():
    scores = np.array([[-np.inf, 1.0, -np.inf, 2.0]])
    lists = top_k(scores, 4, np.array([0]), np.array([3]))
    assert lists.tolist() == [[1, 0, 2, PAD]]


def test_top_k_rejects_nan():
    with pytest.raises(ValueError, match="NaN"):
        top_k(np.array([[0.1, np.nan]]), 1)


def test_top_k_matches_a_full_sort_on_random_ties():
    rng = np.random.default_rng(3)
    scores = rng.integers(0, 4, size=(30, 50)).astype(np.float32)  # many ties
    rows = rng.integers(0, 30, size=200)
    cols = rng.integers(0, 50, size=200)
    lists = top_k(scores, 7, rows, cols)
    for r in range(30):
        banned = set(cols[rows == r].tolist())
        expected = sorted((j for j in range(50) if j not in banned), key=lambda j: (-scores[r, j], j))[:7]
        assert lists[r].tolist() == expected


def test_rank_1_11_and_absent():
    scores = np.linspace(1.0, 0.0, 30)  # item i has rank i + 1 with an empty history
    assert rank_of(scores, 0, []) == 1
    assert rank_of(scores, 10, []) == 11
    assert rank_of(scores, 25, []) == 0  # beyond the top 20
    assert rank_of(scores, 10, [0, 1]) == 9  # history items do not take ranks
    ranks = np.array([1, 11, 0])
    assert hit_rate(ranks, 10) == pytest.approx(1 / 3)
    assert hit_rate(ranks, 20) == pytest.approx(2 / 3)
    assert ndcg(ranks, 10) == pytest.approx((1.0 + 0.0 + 0.0) / 3)
    assert ndcg(ranks, 20) == pytest.approx((1.0 + 1.0 / math.log2(12) + 0.0) / 3)


def test_tied_target_ranks_by_movie_position():
    scores = np.array([0.0, 0.5, 0.5, 0.5, 0.1])
    assert rank_of(scores, 3, []) == 3  # behind items 1 and 2 that tie with it
    assert rank_of(scores, 1, []) == 1
    assert ndcg(np.array([3]), 10) == pytest.approx(0.5)  # 1 / log2(4)


def test_coverage_counts_distinct_items_over_catalog():
    lists = np.array([[0, 1, 2], [1, 2, 3], [PAD, PAD, PAD]])
    assert coverage(lists, 3, n_items=10) == pytest.approx(0.4)
    assert coverage(lists, 1, n_items=10) == pytest.approx(0.2)


def test_novelty_averages_every_slot_and_counts_unseen_items_as_one_user():
    counts = np.array([8, 4, 0, 2])  # users per item in the fit data; 8 users in all
    lists = np.array([[0, 1], [0, 2]])
    # -log2 p: item0 8/8 -> 0, item1 4/8 -> 1, item2 (1)/8 -> 3
    assert novelty(lists, 2, counts, 8) == pytest.approx((0 + 1 + 0 + 3) / 4)


def test_ild_hand_computed():
    vectors = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 0.0]])
    # list [0, 1]: orthogonal -> 1.0; list [0, 2]: cos = 1/sqrt2 -> 1 - 0.7071
    lists = np.array([[0, 1], [0, 2]])
    assert intra_list_distance(lists, 2, vectors) == pytest.approx((1.0 + (1 - 2**-0.5)) / 2)
    # a zero vector is at distance 1 from everything; a list with one item has no pair
    assert intra_list_distance(np.array([[0, 3], [1, PAD]]), 2, vectors) == pytest.approx(1.0)
    # three identical items -> 0
    assert intra_list_distance(np.array([[0, 0, 0]]), 3, vectors) == pytest.approx(0.0)


def test_list_metrics_keys_and_values():
    lists = np.array([[0, 1, 2], [2, 1, 0]])
    out = list_metrics(
        lists,
        np.array([1, 3]),
        n_items=4,
        interaction_users=np.array([1, 1, 1, 1]),
        n_users=2,
        item_vectors=np.eye(4),
        ks=(1, 3),
    )
    assert out["hr@3"] == pytest.approx(0.5)
    assert out["ndcg@3"] == pytest.approx(0.5 / math.log2(3))
    assert out["hr@1"] == 0.0
    assert out["coverage@1"] == pytest.approx(0.5)
    assert out["novelty@3"] == pytest.approx(1.0)
    assert out["ild@3"] == pytest.approx(1.0)


def test_js_divergence_bounds_and_a_hand_value():
    p = np.array([[1.0, 0.0], [0.5, 0.5], [1.0, 0.0]])
    q = np.array([[0.0, 1.0], [0.5, 0.5], [0.5, 0.5]])
    values = js_divergence(p, q)
    assert values[0] == pytest.approx(1.0)
    assert values[1] == pytest.approx(0.0)
    # m = (0.75, 0.25): 0.5 * log2(1/0.75) + 0.5 * (0.5 log2(0.5/0.75) + 0.5 log2(0.5/0.25))
    expected = 0.5 * math.log2(1 / 0.75) + 0.5 * (0.5 * math.log2(0.5 / 0.75) + 0.5 * math.log2(2))
    assert values[2] == pytest.approx(expected)


def test_histories_take_append_last():
    h = Histories.from_lists([[1, 2, 3], [], [4]], user_ids=np.array([7, 8, 9]))
    assert [x.tolist() for x in h.last(2).item_lists()] == [[2, 3], [], [4]]
    extra = Histories.from_lists([[5], [6, 7], []])
    joined = h.append(extra)
    assert [x.tolist() for x in joined.item_lists()] == [[1, 2, 3, 5], [6, 7], [4]]
    assert joined.user_ids.tolist() == [7, 8, 9]
    assert [x.tolist() for x in joined.take(np.array([2, 0])).item_lists()] == [[4], [1, 2, 3, 5]]
    assert h.to_csr(10).toarray()[0].nonzero()[0].tolist() == [1, 2, 3]

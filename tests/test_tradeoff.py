"""The accuracy/retention sweep (evaluation.tradeoff): the blend, the sweep grid, the report and the plot."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from evaluation.metrics import top_k
from evaluation.models.ease import EASE
from evaluation.models.tracker import DriftrecTracker
from evaluation.runner import build_context
from evaluation.tradeoff import EaseBlend, _standardised, markdown, plot, sweep


def test_standardised_rows_have_mean_zero_and_unit_spread():
    scores = np.array([[1.0, 2.0, 3.0, 6.0], [5.0, 5.0, 5.0, 5.0]])
    z = _standardised(scores)
    assert np.allclose(z[0].mean(), 0) and np.isclose(z[0].std(), 1)
    assert np.all(z[1] == 0)  # a constant row stays finite


@pytest.fixture(scope="module")
def quick_context(data_dir: Path):
    return build_context("ml-100k", data_dir, quick=True, item_vectors=None, item_vectors_label=None)


@pytest.mark.slow
def test_blend_weights_move_the_list_between_the_two_models(quick_context):
    ctx = quick_context
    fit = ctx.split.fit_data("test")
    tracker = DriftrecTracker(seed=0, epochs=1, shift_weight=4, dim=16).fit(fit, ctx.split.catalog, None)
    ease = EASE(l2=100.0).fit(fit, ctx.split.catalog, None)
    histories = ctx.test_histories

    def top10(model):
        return top_k(model.score(histories), 10, histories.row_of_entry, histories.items)

    def overlap(a, b):
        return np.mean([len(set(x) & set(y)) / 10 for x, y in zip(a, b)])

    # β = 1 ranks exactly as EASE (a z-score keeps each row's order); as β grows the lists leave the
    # tracker's and come closer to EASE's.
    alone, ease_lists = top10(tracker), top10(ease)
    assert np.array_equal(top10(EaseBlend(tracker, ease, 1.0)), ease_lists)
    blended = [top10(EaseBlend(tracker, ease, beta)) for beta in (0.05, 0.5, 0.95)]
    to_tracker = [overlap(lists, alone) for lists in blended]
    to_ease = [overlap(lists, ease_lists) for lists in blended]
    assert to_tracker == sorted(to_tracker, reverse=True) and to_tracker[0] > 0.8
    assert to_ease == sorted(to_ease) and to_ease[-1] > 0.8


@pytest.mark.slow
def test_sweep_report_and_plot(quick_context, tmp_path: Path):
    rows = sweep(quick_context, epochs=1, shift_weight=4.0, scales=[1.0, 0.0], blends=[0.0, 0.5])
    assert [(r["short-term scale"], r["EASE weight"]) for r in rows] == [(1.0, 0.0), (1.0, 0.5), (0.0, 0.0), (0.0, 0.5)]
    for row in rows:
        assert all(0.0 <= row[key] <= 1.0 for key in ("NDCG@10", "HR@10", "adaptation@3", "retention"))
    # Dropping the short-term part makes the list hold on to more of itself after the return.
    assert rows[2]["retention"] > rows[0]["retention"]
    peers = [{"model": "EASE", "NDCG@10": 0.08, "HR@10": 0.16, "adaptation@3": 0.01, "retention": 0.7}]
    text = markdown("ml-100k", rows, peers, "python -m evaluation.tradeoff --dataset ml-100k")
    assert "| short-term scale | EASE weight | NDCG@10 | HR@10 | adaptation@3 | retention |" in text
    assert "| EASE | 0.0800 |" in text
    plot("ml-100k", rows, peers, tmp_path / "frontier.png")
    assert (tmp_path / "frontier.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

"""Peers on a tiny two-taste data set: interface contract, fold-in of appended interactions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evaluation.models import get_model_class
from evaluation.models.base import ModelUnavailableError, ValidationData
from evaluation.protocol import EvalCatalog, Histories, split_leave_last_out
from retrieval.movielens import Catalog

N_ITEMS = 40  # items 0-19: taste A, 20-39: taste B


def two_taste_data(users: int = 60, per_user: int = 12, seed: int = 0) -> tuple[Catalog, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    rows = []
    for user in range(users):
        block = 0 if user % 2 == 0 else 20
        items = rng.choice(np.arange(block, block + 20), size=per_user, replace=False)
        rows += [(user + 1, int(item) + 1, 4.0, 1000 + t) for t, item in enumerate(items)]
    interactions = pd.DataFrame(rows, columns=["user_id", "movie_id", "rating", "timestamp"])
    interactions = interactions.astype({"rating": np.float32})
    movies = pd.DataFrame(
        {
            "movie_id": np.arange(1, N_ITEMS + 1),
            "title": [f"m{i}" for i in range(N_ITEMS)],
            "year": pd.array([2000] * N_ITEMS, dtype="Int64"),
            "genres": [["A"] if i < 20 else ["B"] for i in range(N_ITEMS)],
            "tags": [[] for _ in range(N_ITEMS)],
        }
    )
    return Catalog(movies, ["A", "B"]), interactions


@pytest.fixture(scope="module")
def tiny():
    catalog, interactions = two_taste_data()
    return split_leave_last_out(catalog, interactions)


def available(key: str):
    try:
        return get_model_class(key)
    except ModelUnavailableError as error:
        pytest.skip(str(error))


@pytest.mark.parametrize("key", ["mostpop", "random", "itemknn", "ease", "als", "bpr"])
def test_scores_have_the_catalog_shape_and_taste(key, tiny):
    model_class = available(key)
    model = model_class(seed=0).fit(tiny.fit_data("test"), tiny.catalog)
    histories = tiny.histories("test")
    scores = model.score(histories)
    assert scores.shape == (len(histories), N_ITEMS) and scores.dtype == np.float32
    if key in {"itemknn", "ease", "als", "bpr"}:
        # A taste-A user scores taste-A items higher on average, and the other way round.
        a_users = (histories.user_ids % 2) == 1  # user ids start at 1: odd ids are the even rows
        a_margin = scores[:, :20].mean(axis=1) - scores[:, 20:].mean(axis=1)
        assert (a_margin[a_users] > 0).mean() > 0.9 and (a_margin[~a_users] < 0).mean() > 0.9


@pytest.mark.parametrize("key", ["itemknn", "ease", "als", "bpr"])
def test_appended_interactions_move_the_scores(key, tiny):
    model_class = available(key)
    model = model_class(seed=0).fit(tiny.fit_data("test"), tiny.catalog)
    histories = tiny.histories("test")
    a_rows = np.flatnonzero((histories.user_ids % 2) == 1)[:5]
    base = histories.take(a_rows)
    appended = Histories.from_lists([[20, 21, 22, 23, 24]] * len(a_rows), user_ids=base.user_ids)
    before = model.score_appended(base, Histories.from_lists([[]] * len(a_rows), user_ids=base.user_ids))
    after = model.score_appended(base, appended)
    b_items = np.arange(25, 40)  # taste-B items that were not appended
    gain_b = (after[:, b_items] - before[:, b_items]).mean()
    gain_a = (after[:, :20] - before[:, :20]).mean()
    assert gain_b > gain_a


def test_sasrec_trains_early_stops_and_scores(tiny):
    model_class = available("sasrec")
    validation = ValidationData(tiny.histories("valid"), tiny.target_items("valid", tiny.valid["user_id"].to_numpy()))
    model = model_class(max_epochs=3, patience=1, n_factors=16, session_max_len=10, batch_size=16, seed=0)
    try:
        model.fit(tiny.fit_data("valid"), tiny.catalog, validation)
        assert 1 <= model.tuned_params()["epochs"] <= 3
        histories = tiny.histories("test")
        scores = model.score(histories)
        assert scores.shape == (len(histories), N_ITEMS) and np.isfinite(scores[:, :20]).any()
    finally:
        model.close()
    assert model.process_ is None  # the worker is gone


def test_the_batch512_variant_trains_as_the_default_did_before_1024_row_batches():
    from tracking.model import DEFAULT_BATCH_SIZE, DEFAULT_LR, TrackerConfig
    model = get_model_class("driftrec-batch512")(seed=0)
    config = TrackerConfig(**model.config)
    assert (config.batch_size_for(9_742), config.lr_for(9_742)) == (512, 2e-3)
    assert (TrackerConfig().batch_size_for(9_742), TrackerConfig().lr_for(9_742)) == (DEFAULT_BATCH_SIZE, DEFAULT_LR) == (1024, 2.83e-3)

"""The interest model's training on tiny synthetic sequences: full and sampled softmax both learn."""

from __future__ import annotations

import numpy as np
import pytest

from tracking.model import FULL_SOFTMAX_MAX_ITEMS, Sequences, TrackerConfig, fit_interest_model, score_sequences
from tracking.train import hold_out_last, ndcg_at_10


def _two_taste_sequences(n_users: int = 300, n_items: int = 200, length: int = 12, seed: int = 0) -> Sequences:
    """Half the users watch only even movies, half only odd ones; a model must learn which half."""
    rng = np.random.default_rng(seed)
    users, items = [], []
    for user in range(n_users):
        parity = user % 2
        pool = np.arange(parity, n_items, 2)
        popular = pool[: len(pool) // 4]  # within a taste, a popular head
        chosen = rng.choice(np.concatenate([popular, popular, pool]), size=length, replace=False)
        users += [user] * length
        items += chosen.tolist()
    return Sequences.from_grouped(np.array(users), np.array(items), np.full(len(items), 4.0, dtype=np.float32))


@pytest.mark.parametrize("softmax", ["full", "sampled"])
def test_both_softmaxes_learn_a_two_taste_catalog(softmax: str):
    sequences = _two_taste_sequences()
    train, validation, targets = hold_out_last(sequences)
    config = TrackerConfig(dim=16, window=5, epochs=6, batch_size=128, softmax=softmax, negatives=64, patience=6)
    model, report = fit_interest_model(
        train, 200, None, config, lambda m: ndcg_at_10(score_sequences(m, validation), validation, targets), progress=False)
    scores = score_sequences(model, validation)
    parity = np.arange(len(validation)) % 2
    top = np.argsort(-scores, axis=1)[:, :10]
    same_taste = (top % 2 == parity[:, None]).mean()
    assert same_taste > 0.9, f"{softmax}: {same_taste:.2f} of the top 10 match the user's taste"
    assert report.best_validation > 0.1  # random ranking of ~190 unseen movies: NDCG@10 ≈ 0.03
    assert all(np.isfinite(h["loss"]) for h in report.history)


def test_auto_samples_only_for_large_catalogs():
    config = TrackerConfig()
    assert not config.sampled_for(9_742) and config.sampled_for(FULL_SOFTMAX_MAX_ITEMS + 1)
    assert TrackerConfig(softmax="full").sampled_for(10**6) is False
    assert TrackerConfig(softmax="sampled").sampled_for(10) is True

"""The driftrec interest tracker under the evaluation protocol (see :mod:`tracking.model`)."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd
import torch

from evaluation.metrics import ndcg, target_ranks, top_k
from evaluation.models.base import Recommender, ValidationData
from evaluation.protocol import EvalCatalog, Histories
from tracking.model import Sequences, TrackerConfig, fit_interest_model, score_sequences


def _sequences(histories: Histories) -> Sequences:
    return Sequences(histories.offsets, histories.items, histories.ratings)


class DriftrecTracker(Recommender):
    """Softmax interest model with long- and short-term parts, trained with full-softmax cross-entropy.

    Tuned on the validation item: early stopping picks the epoch count, which the refit on
    train + validation reuses.

    Args:
        text_vectors: Optional (movie_ids, vectors) of the text encoder; None learns from ids only.
        Remaining keyword arguments: :class:`~tracking.model.TrackerConfig` fields.
    """

    name: ClassVar[str] = "driftrec"
    stochastic: ClassVar[bool] = True
    param_grid: ClassVar[list[dict[str, Any]]] = [{}]
    text_vectors: ClassVar[tuple[np.ndarray, np.ndarray] | None] = None

    def __init__(self, seed: int = 0, epochs: int | None = None, **config: Any) -> None:
        super().__init__(seed)
        self.epochs = epochs
        self.config = config

    def get_params(self) -> dict[str, Any]:
        return {"epochs": self.epochs, **self.config}

    def fit(self, train: pd.DataFrame, catalog: EvalCatalog, validation: ValidationData | None = None) -> "DriftrecTracker":
        torch.set_num_threads(max(1, torch.get_num_threads()))
        sequences = _train_sequences(train)
        config = TrackerConfig(seed=self.seed, **self.config, **({"epochs": self.epochs} if self.epochs else {}))
        validate = None
        if validation is not None and self.epochs is None:
            validate = _ndcg_callback(validation, len(catalog))
        self.model_, self.report_ = fit_interest_model(
            sequences, len(catalog), self._aligned_text(catalog), config, validate, progress=True
        )
        return self

    def _aligned_text(self, catalog: EvalCatalog) -> np.ndarray | None:
        if self.text_vectors is None:
            return None
        movie_ids, vectors = self.text_vectors
        order = np.searchsorted(movie_ids, catalog.movie_ids)
        if not np.array_equal(movie_ids[np.minimum(order, len(movie_ids) - 1)], catalog.movie_ids):
            raise ValueError("text vectors do not cover every catalog movie; run `driftrec index` for this dataset")
        return vectors[order]

    def tuned_params(self) -> dict[str, Any]:
        return {"epochs": self.report_.best_epoch} if self.epochs is None else {}

    def score(self, histories: Histories) -> np.ndarray:
        return score_sequences(self.model_, _sequences(histories))


def _train_sequences(train: pd.DataFrame) -> Sequences:
    users = train["user_id"].to_numpy()
    boundaries = np.flatnonzero(np.diff(users)) + 1
    offsets = np.concatenate([[0], boundaries, [len(users)]]).astype(np.int64)
    return Sequences(offsets, train["item"].to_numpy(dtype=np.int64), train["rating"].to_numpy(dtype=np.float32))


def _ndcg_callback(validation: ValidationData, n_items: int):
    histories = validation.histories
    targets = np.asarray(validation.targets)

    def validate(model) -> float:
        scores = score_sequences(model, _sequences(histories))
        lists = top_k(scores, 10, histories.row_of_entry, histories.items)
        return ndcg(target_ranks(lists, targets), 10)

    return validate

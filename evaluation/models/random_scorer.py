"""A random scorer: the sanity floor (HR@10 should be near 10 / catalog size)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from evaluation.models.base import Recommender, ValidationData
from evaluation.protocol import EvalCatalog, Histories


class RandomScorer(Recommender):
    """Independent uniform scores per (history, item), reproducible from ``seed``."""

    name = "Random"
    stochastic = True

    def fit(self, train: pd.DataFrame, catalog: EvalCatalog, validation: ValidationData | None = None) -> "RandomScorer":
        self.n_items_ = len(catalog)
        self.rng_ = np.random.default_rng(self.seed)
        return self

    def score(self, histories: Histories) -> np.ndarray:
        return self.rng_.random((len(histories), self.n_items_), dtype=np.float32)

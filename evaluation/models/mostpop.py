"""MostPop: every user gets the items most interacted with in the fit data."""

from __future__ import annotations

import numpy as np
import pandas as pd

from evaluation.models.base import Recommender, ValidationData, item_user_counts
from evaluation.protocol import EvalCatalog, Histories


class MostPop(Recommender):
    """Score = number of users who interacted with the item in the fit data.

    Deterministic; ties go to the lower movie id through the harness's ranking.
    """

    name = "MostPop"

    def fit(self, train: pd.DataFrame, catalog: EvalCatalog, validation: ValidationData | None = None) -> "MostPop":
        self.popularity_ = item_user_counts(train, len(catalog)).astype(np.float32)
        return self

    def score(self, histories: Histories) -> np.ndarray:
        return np.broadcast_to(self.popularity_, (len(histories), len(self.popularity_))).copy()

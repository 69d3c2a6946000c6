"""ALS and BPR matrix factorisation from the ``implicit`` library (optional extra ``bench``).

Both learn one vector per user in ``fit``. ``score`` uses the learned vector of a user seen in fit
(whose history is, by the interface's contract, the one fit saw). ``score_appended`` and unknown users
get a vector *folded in* from the history with the item factors fixed:

* ALS: the exact least-squares solve ALS itself does for a user (``recalculate_user``).
* BPR: implicit has no fold-in, so the user vector is refined by full-batch gradient ascent on the BPR
  objective over the user's history (item factors fixed, same learning rate, regularisation and number
  of passes as the fit), starting from the learned vector (or zero for an unknown user).
"""

from __future__ import annotations

import contextlib
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from evaluation.models.base import ModelUnavailableError, Recommender, ValidationData, interaction_matrix
from evaluation.protocol import EvalCatalog, Histories

INSTALL_HINT = "install the benchmark extra: `pip install -e .[bench]` (or `make bench`)"


def _import_implicit() -> Any:
    try:
        import implicit  # noqa: F401
        from implicit.cpu.als import AlternatingLeastSquares
        from implicit.cpu.bpr import BayesianPersonalizedRanking
    except ImportError as error:
        raise ModelUnavailableError(f"ALS and BPR need the `implicit` package: {INSTALL_HINT}") from error
    return AlternatingLeastSquares, BayesianPersonalizedRanking


def _one_blas_thread():
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(1, "blas")


class _ImplicitMF(Recommender):
    """Shared parts: user-id lookup, fit matrix, scoring by dot product."""

    stochastic = True

    @classmethod
    def check_available(cls) -> None:
        _import_implicit()

    def _fit_matrix(self, train: pd.DataFrame, n_items: int):
        matrix, users = interaction_matrix(train, n_items)
        self.users_ = users
        self.n_items_ = n_items
        return matrix

    def _known_rows(self, histories: Histories) -> tuple[np.ndarray, np.ndarray]:
        """(row in user_factors_ or -1, mask of known users) for each history."""
        position = np.searchsorted(self.users_, histories.user_ids)
        position = np.minimum(position, len(self.users_) - 1)
        known = self.users_[position] == histories.user_ids
        return np.where(known, position, -1), known

    def _fold_in(self, histories: Histories, start: np.ndarray | None) -> np.ndarray:
        raise NotImplementedError

    def _user_vectors(self, histories: Histories) -> np.ndarray:
        rows, known = self._known_rows(histories)
        vectors = np.empty((len(histories), self.user_factors_.shape[1]), dtype=np.float32)
        vectors[known] = self.user_factors_[rows[known]]
        if (~known).any():
            unknown = np.flatnonzero(~known)
            vectors[unknown] = self._fold_in(histories.take(unknown), None)
        return vectors

    def score(self, histories: Histories) -> np.ndarray:
        return (self._user_vectors(histories) @ self.item_factors_.T).astype(np.float32)

    def score_appended(self, histories: Histories, appended: Histories) -> np.ndarray:
        rows, known = self._known_rows(histories)
        start = np.where(known[:, None], self.user_factors_[np.maximum(rows, 0)], 0.0).astype(np.float32)
        vectors = self._fold_in(histories.append(appended), start)
        return (vectors @ self.item_factors_.T).astype(np.float32)


class ALS(_ImplicitMF):
    """Implicit ALS (Hu, Koren, Volinsky 2008) with confidence ``1 + alpha`` on binary interactions.

    Args:
        factors: Latent dimensions.
        regularization: L2 penalty.
        alpha: Confidence weight of an interaction.
        iterations: ALS sweeps.
    """

    name = "ALS"
    param_grid = [
        {"factors": f, "regularization": r, "alpha": a}
        for f in (64, 128)
        for r in (0.1, 1.0, 10.0)
        for a in (1.0, 10.0)
    ]

    def __init__(
        self,
        factors: int = 128,
        regularization: float = 1.0,
        alpha: float = 1.0,
        iterations: int = 15,
        seed: int = 0,
    ) -> None:
        super().__init__(seed)
        self.factors = factors
        self.regularization = regularization
        self.alpha = alpha
        self.iterations = iterations

    def fit(self, train: pd.DataFrame, catalog: EvalCatalog, validation: ValidationData | None = None) -> "ALS":
        AlternatingLeastSquares, _ = _import_implicit()
        matrix = self._fit_matrix(train, len(catalog))
        with _one_blas_thread():  # implicit's own advice (it checks when the model is built)
            model = AlternatingLeastSquares(
                factors=self.factors,
                regularization=self.regularization,
                alpha=self.alpha,
                iterations=self.iterations,
                random_state=self.seed,
                num_threads=1,
            )
            model.fit(matrix, show_progress=False)
        self.model_ = model
        self.user_factors_ = np.asarray(model.user_factors, dtype=np.float32)
        self.item_factors_ = np.asarray(model.item_factors, dtype=np.float32)
        return self

    def _fold_in(self, histories: Histories, start: np.ndarray | None) -> np.ndarray:
        matrix = histories.to_csr(self.n_items_)
        return np.asarray(self.model_.recalculate_user(np.arange(len(histories)), matrix), dtype=np.float32)


class BPR(_ImplicitMF):
    """Bayesian Personalised Ranking (Rendle et al. 2009) trained by implicit's SGD.

    implicit appends an item bias as the last factor (the user's last factor is fixed at 1).

    Args:
        factors: Latent dimensions (plus the bias column).
        learning_rate: SGD step.
        regularization: L2 penalty.
        iterations: Epochs.
    """

    name = "BPR"
    param_grid = [
        {"factors": f, "learning_rate": lr} for f in (32, 64, 128) for lr in (0.01, 0.05)
    ]

    def __init__(
        self,
        factors: int = 64,
        learning_rate: float = 0.01,
        regularization: float = 0.01,
        iterations: int = 100,
        seed: int = 0,
    ) -> None:
        super().__init__(seed)
        self.factors = factors
        self.learning_rate = learning_rate
        self.regularization = regularization
        self.iterations = iterations

    def fit(self, train: pd.DataFrame, catalog: EvalCatalog, validation: ValidationData | None = None) -> "BPR":
        _, BayesianPersonalizedRanking = _import_implicit()
        matrix = self._fit_matrix(train, len(catalog))
        model = BayesianPersonalizedRanking(
            factors=self.factors,
            learning_rate=self.learning_rate,
            regularization=self.regularization,
            iterations=self.iterations,
            random_state=self.seed,
            num_threads=1,
        )
        model.fit(matrix, show_progress=False)
        self.user_factors_ = np.asarray(model.user_factors, dtype=np.float32)
        self.item_factors_ = np.asarray(model.item_factors, dtype=np.float32)
        return self

    def _fold_in(self, histories: Histories, start: np.ndarray | None) -> np.ndarray:
        """Full-batch BPR ascent per user, item factors fixed, one pass per fit epoch."""
        items = self.item_factors_
        n, dims = len(histories), items.shape[1]
        users = np.zeros((n, dims), dtype=np.float32) if start is None else start.astype(np.float32).copy()
        users[:, -1] = 1.0  # the bias column
        rows = histories.row_of_entry
        positives = histories.items
        seen = histories.to_csr(self.n_items_)
        lengths = histories.lengths.astype(np.float32)[:, None]
        per_user = sparse.csr_matrix(
            (np.ones(len(positives), dtype=np.float32), (rows, np.arange(len(positives)))),
            shape=(n, len(positives)),
        )
        rng = np.random.default_rng(self.seed)
        for _ in range(self.iterations):
            negatives = rng.integers(0, self.n_items_, size=len(positives))
            clash = np.asarray(seen[rows, negatives]).ravel() > 0
            difference = items[positives] - items[negatives]
            margin = np.einsum("ed,ed->e", users[rows], difference)
            weight = (1.0 / (1.0 + np.exp(margin))) * ~clash
            gradient = per_user @ (weight[:, None] * difference) - self.regularization * lengths * users
            users += self.learning_rate * np.asarray(gradient, dtype=np.float32)
            users[:, -1] = 1.0
        return users

"""The one interface every evaluated model implements.

A model is fit on an interaction table and then scores *histories*: for each row of a
:class:`~evaluation.protocol.Histories` it returns one score per catalog item (higher = better).
The harness does everything else (excluding history items, ranking with the protocol's
tie-break, metrics), so a model never ranks and never sees a held-out item.

Style follows scikit-learn: the constructor only stores hyper-parameters (and ``seed``); what ``fit``
learns is kept in attributes ending in ``_``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from evaluation.protocol import EvalCatalog, Histories


class ModelUnavailableError(RuntimeError):
    """A model needs a package or environment that is not installed; the message says how to get it."""


@dataclass(frozen=True)
class ValidationData:
    """What a model may use for early stopping: the validation histories and their held-out items.

    Only passed while tuning (fit on train, stage ``valid``); never at test time.
    """

    histories: Histories
    targets: np.ndarray


class Recommender(ABC):
    """Base class of every evaluated model.

    Subclasses set ``name`` (the label in tables), ``stochastic`` (whether seeds matter) and
    ``param_grid`` (the hyper-parameter settings tried on the validation item).

    Data conventions:
        * ``train`` (for :meth:`fit`) has columns ``user_id, movie_id, rating, timestamp, item``;
          ``item`` is the catalog position. Rows are sorted by user, then in protocol time order.
        * A history row is a user's input sequence, oldest first, as catalog positions
          (:class:`~evaluation.protocol.Histories`). For users seen in ``fit``, the history passed to
          :meth:`score` is exactly their interactions in ``train`` (same order).
    """

    name: ClassVar[str] = "model"
    stochastic: ClassVar[bool] = False
    param_grid: ClassVar[list[dict[str, Any]]] = [{}]
    protocol_grids: ClassVar[dict[str, list[dict[str, Any]]]] = {}
    """Grids for a protocol other than the default, where one was tuned for it (``llamarec``)."""

    @classmethod
    def grid_for(cls, protocol: str) -> list[dict[str, Any]]:
        """The settings tried on the validation item under ``protocol``."""
        return cls.protocol_grids.get(protocol, cls.param_grid)

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed

    @classmethod
    def check_available(cls) -> None:
        """Raise :class:`ModelUnavailableError` (saying how to install it) if the model cannot run here."""

    def get_params(self) -> dict[str, Any]:
        """Constructor arguments other than ``seed`` (what tuning chose), for reports."""
        return {k: v for k, v in vars(self).items() if not k.endswith("_") and k != "seed"}

    @abstractmethod
    def fit(
        self,
        train: pd.DataFrame,
        catalog: EvalCatalog,
        validation: ValidationData | None = None,
    ) -> "Recommender":
        """Learn from ``train``; may use ``validation`` for early stopping only. Returns ``self``."""

    @abstractmethod
    def score(self, histories: Histories) -> np.ndarray:
        """Scores over the catalog, shape (len(histories), n_items), float32."""

    def score_appended(self, histories: Histories, appended: Histories) -> np.ndarray:
        """Scores after each row of ``appended`` is added to the end of the same row of ``histories``.

        Used by the injected-shift test. The default scores the concatenated histories; models with
        per-user state learned in ``fit`` (matrix factorisation, the tracker) override it to fold the
        new interactions in. ``histories`` are users' histories as seen in ``fit``.
        """
        return self.score(histories.append(appended))

    def tuned_params(self) -> dict[str, Any]:
        """Parameters learned while fitting with validation data (e.g. the early-stopped epoch count)
        that the refit on train + validation must reuse. Empty by default."""
        return {}

    def close(self) -> None:
        """Release external resources (worker processes). Safe to call twice."""

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({params})"


def interaction_matrix(train: pd.DataFrame, n_items: int, n_rows: int | None = None, *, users: np.ndarray | None = None):
    """Binary users-by-items CSR matrix of ``train``, rows = ``users`` (default: its users, ascending).

    Returns:
        (matrix, users) where ``users[r]`` is the user id of row ``r``.
    """
    from scipy import sparse

    frame_users = train["user_id"].to_numpy()
    if users is None:
        users = np.unique(frame_users)
    rows = np.searchsorted(users, frame_users)
    matrix = sparse.csr_matrix(
        (np.ones(len(train), dtype=np.float32), (rows, train["item"].to_numpy())),
        shape=(len(users), n_items),
    )
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    return matrix, users


def item_user_counts(train: pd.DataFrame, n_items: int) -> np.ndarray:
    """How many distinct users interacted with each item in ``train``."""
    pairs = train[["user_id", "item"]].drop_duplicates()
    return np.bincount(pairs["item"].to_numpy(), minlength=n_items).astype(np.int64)

"""ItemKNN: cosine item-item similarity on binary interactions, scored from the last few items."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
from scipy import sparse

from evaluation.models.base import Recommender, ValidationData, interaction_matrix
from evaluation.protocol import EvalCatalog, Histories


class ItemKNN(Recommender):
    """Score(u, j) = sum over the last ``history`` items i of u of cos(i, j).

    Cosine is computed on the binary users-by-items matrix of the fit data; self-similarity is zero.
    The similarity stays sparse (co-occurring pairs only), so large catalogs fit in memory.

    Args:
        history: How many of the latest history items to score from; None = all.
    """

    name = "ItemKNN"
    param_grid = [{"history": n} for n in (1, 2, 3, 5, 10, 20, None)]

    def __init__(self, history: int | None = 3, seed: int = 0) -> None:
        super().__init__(seed)
        self.history = history

    def fit(self, train: pd.DataFrame, catalog: EvalCatalog, validation: ValidationData | None = None) -> "ItemKNN":
        self.similarity_ = _cached_similarity(train, len(catalog))
        return self

    def score(self, histories: Histories) -> np.ndarray:
        recent = histories.last(self.history).to_csr(self.similarity_.shape[0])
        return np.asarray((recent @ self.similarity_).todense(), dtype=np.float32)


_CACHE: dict[str, sparse.csr_matrix] = {}


def _cached_similarity(train: pd.DataFrame, n_items: int) -> sparse.csr_matrix:
    """The similarity of ``train``, reused while tuning tries several history lengths on the same data.

    Keyed by a digest of the (user, item) pairs, so different data never shares an entry; one entry kept.
    """
    digest = hashlib.blake2b(digest_size=16)
    digest.update(np.int64(n_items).tobytes())
    digest.update(np.ascontiguousarray(train["user_id"].to_numpy(dtype=np.int64)).tobytes())
    digest.update(np.ascontiguousarray(train["item"].to_numpy(dtype=np.int64)).tobytes())
    key = digest.hexdigest()
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = cosine_similarity(train, n_items)
    return _CACHE[key]


def cosine_similarity(train: pd.DataFrame, n_items: int) -> sparse.csr_matrix:
    """Item-item cosine on binary interactions, zero diagonal, float32 CSR."""
    matrix, _ = interaction_matrix(train, n_items)
    co = sparse.csr_matrix(matrix.T @ matrix, dtype=np.float32)
    norms = np.sqrt(co.diagonal())
    inverse = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    rows = np.repeat(np.arange(co.shape[0]), np.diff(co.indptr))
    co.data *= inverse[rows] * inverse[co.indices]
    co.data[rows == co.indices] = 0.0  # no self-similarity
    co.eliminate_zeros()
    return co

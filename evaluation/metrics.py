"""Ranking and the protocol's metrics, vectorised over a users-by-items score matrix.

Everything here needs numpy only (no pandas, no project imports), so that the SASRec worker, which
runs in the benchmark's own environment with another numpy, ranks with exactly this code.

Conventions (``shared/PROTOCOL.md``):

* Items are catalog positions, and the catalog is ordered by movie id, so "ties in score are broken by
  movie id ascending" means ties go to the lower position.
* Items in the user's input history are never recommended. A user may therefore get fewer than K
  items (e.g. one whose history is the whole catalog); lists are padded with ``-1``.
* An item a model scores ``-inf`` is still recommendable, after every finitely scored one. A NaN
  score is a bug in the model and raises.
"""

from __future__ import annotations

import numpy as np

PAD = -1
"""Marks an empty slot in a top-K list."""


def top_k(
    scores: np.ndarray,
    k: int,
    exclude_rows: np.ndarray | None = None,
    exclude_cols: np.ndarray | None = None,
) -> np.ndarray:
    """The K best items per row, best first; ties by position ascending; excluded items never.

    Args:
        scores: Shape (n_rows, n_items); higher is better.
        k: List length.
        exclude_rows: Row index of each excluded (row, item) pair.
        exclude_cols: Item position of each excluded pair (e.g. the user's history).

    Returns:
        int64 array (n_rows, k) of item positions, padded with :data:`PAD`.

    Raises:
        ValueError: ``scores`` contains NaN.
    """
    scores = np.asarray(scores)
    if scores.ndim != 2:
        raise ValueError(f"scores must be 2-D (users x items), got shape {scores.shape}")
    n_rows, n_items = scores.shape
    if np.isnan(scores).any():
        raise ValueError("scores contain NaN: the model produced an undefined score")
    valid = np.ones((n_rows, n_items), dtype=bool)
    if exclude_rows is not None and len(exclude_rows):
        valid[exclude_rows, exclude_cols] = False
    masked = np.where(valid, scores, -np.inf)
    out = np.full((n_rows, k), PAD, dtype=np.int64)
    if n_items == 0 or n_rows == 0 or k == 0:
        return out
    k_eff = min(k, n_items)
    # The k-th largest value of each row: every item scoring at least that is a candidate. Ties at
    # the boundary can make more than k candidates; the exact order is settled by the sort below.
    kth = np.partition(masked, n_items - k_eff, axis=1)[:, n_items - k_eff]
    candidates = (masked >= kth[:, None]) & valid
    rows, cols = np.nonzero(candidates)
    values = masked[rows, cols]
    order = np.lexsort((cols, -values, rows))
    rows, cols = rows[order], cols[order]
    counts = np.bincount(rows, minlength=n_rows)
    rank = np.arange(len(rows)) - np.repeat(np.cumsum(counts) - counts, counts)
    keep = rank < k
    out[rows[keep], rank[keep]] = cols[keep]
    return out


def target_ranks(lists: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """1-based rank of each row's target in its list, 0 when absent.

    Args:
        lists: Top-K lists (n_rows, K).
        targets: Target item position per row (n_rows,).
    """
    hits = lists == np.asarray(targets)[:, None]
    found = hits.any(axis=1)
    return np.where(found, hits.argmax(axis=1) + 1, 0).astype(np.int64)


def hit_rate(ranks: np.ndarray, k: int) -> float:
    """HR@K: share of users whose target is in their top K."""
    if len(ranks) == 0:
        return float("nan")
    return float(np.mean((ranks >= 1) & (ranks <= k)))


def ndcg(ranks: np.ndarray, k: int) -> float:
    """NDCG@K with one relevant item: ``1 / log2(rank + 1)`` when rank <= K, else 0; mean over users."""
    if len(ranks) == 0:
        return float("nan")
    inside = (ranks >= 1) & (ranks <= k)
    gains = np.zeros(len(ranks), dtype=np.float64)
    gains[inside] = 1.0 / np.log2(ranks[inside] + 1.0)
    return float(gains.mean())


def coverage(lists: np.ndarray, k: int, n_items: int) -> float:
    """Coverage@K: distinct items across all users' top K / catalog size."""
    head = lists[:, :k]
    return float(len(np.unique(head[head != PAD]))) / n_items


def novelty(lists: np.ndarray, k: int, interaction_users: np.ndarray, n_users: int) -> float:
    """Novelty@K: mean over every recommended slot of ``-log2(p_i)``.

    Args:
        lists: Top-K lists.
        k: Cut-off.
        interaction_users: Per item, how many users interacted with it in the data the model was
            fit on (train + validation for the test figures). Zero counts as one user.
        n_users: Number of users in the data set.
    """
    head = lists[:, :k]
    items = head[head != PAD]
    if len(items) == 0:
        return float("nan")
    p = np.maximum(np.asarray(interaction_users, dtype=np.float64)[items], 1.0) / n_users
    return float(np.mean(-np.log2(p)))


def intra_list_distance(lists: np.ndarray, k: int, item_vectors: np.ndarray) -> float:
    """ILD@K: mean pairwise cosine distance within each top-K list, averaged over users.

    A zero item vector has cosine 0 with everything (distance 1). Lists with fewer than two items
    have no pair and are left out of the average.

    Args:
        lists: Top-K lists.
        k: Cut-off.
        item_vectors: Shape (n_items, d), e.g. multi-hot genres or text embeddings.
    """
    head = lists[:, :k]
    present = head != PAD
    norms = np.linalg.norm(item_vectors, axis=1, keepdims=True)
    unit = np.divide(item_vectors, norms, out=np.zeros_like(item_vectors, dtype=np.float64), where=norms > 0)
    vectors = unit[np.where(present, head, 0)] * present[..., None]
    gram = np.einsum("ukd,uld->ukl", vectors, vectors)
    off_diagonal = gram.sum(axis=(1, 2)) - np.einsum("ukk->u", gram)
    m = present.sum(axis=1)
    pairs = m * (m - 1)
    has_pairs = pairs > 0
    if not has_pairs.any():
        return float("nan")
    distance = 1.0 - off_diagonal[has_pairs] / pairs[has_pairs]
    return float(distance.mean())


def accuracy_metrics(ranks: np.ndarray, ks: tuple[int, ...] = (10, 20)) -> dict[str, float]:
    """HR@K and NDCG@K for each K, keyed ``hr@10``, ``ndcg@10``, ..."""
    out: dict[str, float] = {}
    for k in ks:
        out[f"hr@{k}"] = hit_rate(ranks, k)
        out[f"ndcg@{k}"] = ndcg(ranks, k)
    return out


def list_metrics(
    lists: np.ndarray,
    targets: np.ndarray,
    *,
    n_items: int,
    interaction_users: np.ndarray,
    n_users: int,
    item_vectors: np.ndarray,
    ks: tuple[int, ...] = (10, 20),
) -> dict[str, float]:
    """Every protocol metric for a set of top-K lists (K = max(ks)).

    Returns:
        ``hr@K``, ``ndcg@K``, ``coverage@K``, ``novelty@K``, ``ild@K`` for each K in ``ks``.
    """
    if lists.shape[1] < max(ks):
        raise ValueError(f"lists have {lists.shape[1]} slots; need {max(ks)}")
    ranks = target_ranks(lists, targets)
    out = accuracy_metrics(ranks, ks)
    for k in ks:
        out[f"coverage@{k}"] = coverage(lists, k, n_items)
        out[f"novelty@{k}"] = novelty(lists, k, interaction_users, n_users)
        out[f"ild@{k}"] = intra_list_distance(lists, k, item_vectors)
    return out

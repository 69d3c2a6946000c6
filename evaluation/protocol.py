"""The evaluation protocol's data side: time order, tie-breaking, the leave-last-out split, histories.

Implements ``shared/PROTOCOL.md`` ("Data" and "Split"):

* every rating is one implicit interaction; no user or item is filtered out;
* the catalog is every movie that appears in the ratings file, ordered by movie id (so that "ties in
  score are broken by movie id ascending" is "ties are broken by catalog position ascending");
* each user's interactions are ordered by timestamp, ties broken by the first 8 bytes (big-endian) of
  ``sha256("{user_id}:{movie_id}")``, ascending;
* the last interaction is the test item, the second-to-last the validation item, the rest is train.

Items are referred to by *catalog position* (``0 .. n_items - 1``) everywhere in the evaluation code;
:attr:`EvalCatalog.movie_ids` maps positions back to MovieLens ids.
"""

from __future__ import annotations

from collections.abc import Callable

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np
import pandas as pd

from retrieval.movielens import Catalog, protocol_order

Stage = Literal["valid", "test"]
"""``valid``: models fit on train and rank the validation item; ``test``: fit on train + validation,
rank the test item."""


def order_interactions(interactions: pd.DataFrame) -> pd.DataFrame:
    """Sort interactions by user, then time, then the protocol's tie-break key.

    The key only matters between ratings of one user in the same second, so it is computed for
    those rows only (all others get 0): the resulting order is the same as with a key on every row,
    and large releases sort in seconds.

    Args:
        interactions: Columns ``user_id, movie_id, rating, timestamp``.

    Returns:
        A copy with a fresh RangeIndex, in protocol order.
    """
    frame = interactions.reset_index(drop=True)
    return frame.iloc[protocol_order(frame)].reset_index(drop=True)


@dataclass(frozen=True)
class EvalCatalog:
    """The evaluation catalog: every movie that appears in the ratings file, by ascending movie id.

    Attributes:
        catalog: The loader's catalog restricted to rated movies, rows in ascending movie id order.
    """

    catalog: Catalog

    def __len__(self) -> int:
        return len(self.catalog)

    @cached_property
    def movie_ids(self) -> np.ndarray:
        """Movie id of each catalog position (ascending, int64)."""
        return self.catalog.movie_ids

    @cached_property
    def genre_matrix(self) -> np.ndarray:
        """Multi-hot genres, shape (n_items, n_genres), in :attr:`genre_vocabulary` order."""
        return self.catalog.genre_matrix()

    @property
    def genre_vocabulary(self) -> list[str]:
        """The genre labels the release ships, in its own order."""
        return list(self.catalog.genre_vocabulary)

    def positions(self, movie_ids: np.ndarray) -> np.ndarray:
        """Catalog positions of ``movie_ids``; raises ``KeyError`` naming ids not in the catalog."""
        movie_ids = np.asarray(movie_ids, dtype=np.int64)
        found = np.searchsorted(self.movie_ids, movie_ids)
        found = np.minimum(found, len(self.movie_ids) - 1)
        bad = self.movie_ids[found] != movie_ids
        if bad.any():
            raise KeyError(f"movie ids not in the evaluation catalog: {movie_ids[bad][:5].tolist()}")
        return found


def evaluation_catalog(catalog: Catalog, interactions: pd.DataFrame) -> EvalCatalog:
    """The protocol's catalog: the movies that appear in ``interactions``, in movie id order."""
    rated = catalog.subset(np.unique(interactions["movie_id"].to_numpy()))
    movies = rated.movies.sort_values("movie_id", kind="stable").reset_index(drop=True)
    return EvalCatalog(Catalog(movies, list(catalog.genre_vocabulary)))


@dataclass(frozen=True)
class Histories:
    """Interaction sequences of several users, stored CSR-style for vectorised use.

    Row ``r`` holds ``items[offsets[r]:offsets[r + 1]]`` (catalog positions, oldest first) with
    matching ``ratings`` and ``timestamps``. ``user_ids[r]`` is the user's MovieLens id, or ``-1`` for
    a synthetic history.

    A model must treat a row as the user's complete, time-ordered input history.
    """

    user_ids: np.ndarray
    offsets: np.ndarray
    items: np.ndarray
    ratings: np.ndarray
    timestamps: np.ndarray

    def __post_init__(self) -> None:
        if len(self.offsets) != len(self.user_ids) + 1 or self.offsets[-1] != len(self.items):
            raise ValueError("Histories: offsets must have n_users + 1 entries ending at len(items)")
        if not (len(self.items) == len(self.ratings) == len(self.timestamps)):
            raise ValueError("Histories: items, ratings and timestamps must have the same length")

    def __len__(self) -> int:
        return len(self.user_ids)

    @property
    def lengths(self) -> np.ndarray:
        """Number of interactions per row."""
        return np.diff(self.offsets)

    @property
    def row_of_entry(self) -> np.ndarray:
        """For each entry of ``items``, the row it belongs to."""
        return np.repeat(np.arange(len(self)), self.lengths)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, user_ids: np.ndarray | None = None) -> "Histories":
        """Build from a frame in protocol order with columns ``user_id, item, rating, timestamp``.

        Args:
            frame: Interactions sorted by user then time (as :func:`order_interactions` leaves them).
            user_ids: Rows to build, in this order (users absent from ``frame`` get empty rows).
                Defaults to the users of ``frame`` in ascending order.
        """
        frame_users = frame["user_id"].to_numpy()
        if len(frame_users) and np.any(np.diff(frame_users) < 0):
            raise ValueError("Histories.from_frame: frame must be sorted by user_id")
        if user_ids is None:
            user_ids = np.unique(frame_users)
        user_ids = np.asarray(user_ids, dtype=np.int64)
        starts = np.searchsorted(frame_users, user_ids, side="left")
        ends = np.searchsorted(frame_users, user_ids, side="right")
        lengths = ends - starts
        offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        take = _ranges(starts, lengths)
        return cls(
            user_ids=user_ids,
            offsets=offsets,
            items=frame["item"].to_numpy(dtype=np.int64)[take],
            ratings=frame["rating"].to_numpy(dtype=np.float32)[take],
            timestamps=frame["timestamp"].to_numpy(dtype=np.int64)[take],
        )

    @classmethod
    def from_lists(
        cls,
        sequences: list[list[int]] | list[np.ndarray],
        user_ids: np.ndarray | None = None,
    ) -> "Histories":
        """Build from plain item sequences (ratings NaN, timestamps 0, 1, 2, ...): tests and demos."""
        lengths = np.array([len(s) for s in sequences], dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        items = (
            np.concatenate([np.asarray(s, dtype=np.int64) for s in sequences])
            if len(sequences)
            else np.zeros(0, dtype=np.int64)
        )
        stamps = np.arange(len(items), dtype=np.int64) - np.repeat(offsets[:-1], lengths)
        return cls(
            user_ids=np.full(len(sequences), -1, dtype=np.int64) if user_ids is None else np.asarray(user_ids),
            offsets=offsets,
            items=items,
            ratings=np.full(len(items), np.nan, dtype=np.float32),
            timestamps=stamps,
        )

    def take(self, rows: np.ndarray | slice) -> "Histories":
        """The histories of ``rows`` (indices or a slice), in that order."""
        rows = np.arange(len(self))[rows] if isinstance(rows, slice) else np.asarray(rows, dtype=np.int64)
        starts = self.offsets[rows]
        lengths = self.lengths[rows]
        take = _ranges(starts, lengths)
        return Histories(
            user_ids=self.user_ids[rows],
            offsets=np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
            items=self.items[take],
            ratings=self.ratings[take],
            timestamps=self.timestamps[take],
        )

    def append(self, extra: "Histories") -> "Histories":
        """Row-wise concatenation: each row of ``self`` followed by the same row of ``extra``."""
        if len(extra) != len(self):
            raise ValueError(f"append: {len(extra)} extra rows for {len(self)} histories")
        lengths = self.lengths + extra.lengths
        offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        own = _ranges(offsets[:-1], self.lengths)
        new = _ranges(offsets[:-1] + self.lengths, extra.lengths)
        out = {}
        for name in ("items", "ratings", "timestamps"):
            mine, theirs = getattr(self, name), getattr(extra, name)
            merged = np.empty(offsets[-1], dtype=mine.dtype)
            merged[own] = mine
            merged[new] = theirs
            out[name] = merged
        return Histories(user_ids=self.user_ids, offsets=offsets, **out)

    def last(self, n: int | None) -> "Histories":
        """Each row cut to its last ``n`` interactions (all of them when ``n`` is None)."""
        if n is None:
            return self
        lengths = np.minimum(self.lengths, n)
        starts = self.offsets[1:] - lengths
        take = _ranges(starts, lengths)
        return Histories(
            user_ids=self.user_ids,
            offsets=np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
            items=self.items[take],
            ratings=self.ratings[take],
            timestamps=self.timestamps[take],
        )

    def to_csr(self, n_items: int, *, binary: bool = True, dtype: type = np.float32):
        """The rows as a sparse user-by-item matrix (1 per interacted item when ``binary``)."""
        from scipy import sparse

        data = np.ones(len(self.items), dtype=dtype)
        matrix = sparse.csr_matrix((data, self.items, self.offsets), shape=(len(self), n_items))
        matrix.sum_duplicates()
        if binary:
            matrix.data[:] = 1
        return matrix

    def item_lists(self) -> list[np.ndarray]:
        """Each row's items as its own array (for code that needs Python sequences)."""
        return np.split(self.items, self.offsets[1:-1])


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenation of ``arange(s, s + n)`` for each (s, n), vectorised."""
    lengths = np.asarray(lengths, dtype=np.int64)
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    row_starts = np.repeat(np.asarray(starts, dtype=np.int64), lengths)
    within = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return row_starts + within


@dataclass
class Split:
    """The leave-last-out split of one data set.

    Attributes:
        catalog: The evaluation catalog (rated movies, by movie id).
        train: Interactions before each user's last two, protocol order, columns
            ``user_id, movie_id, rating, timestamp, item`` (``item`` = catalog position).
        valid: Each user's second-to-last interaction (users with at least two interactions).
        test: Each user's last interaction, one row per user.
        users: Every user id, ascending (the denominator of Novelty's p_i).
    """

    catalog: EvalCatalog
    train: pd.DataFrame
    valid: pd.DataFrame
    test: pd.DataFrame
    users: np.ndarray

    @property
    def n_items(self) -> int:
        return len(self.catalog)

    def fit_data(self, stage: Stage) -> pd.DataFrame:
        """What a model may be fit on: train for ``valid``, train + validation for ``test``."""
        if stage == "valid":
            return self.train
        if stage == "test":
            return _merge_in_order(self.train, self.valid)
        raise ValueError(f"stage must be 'valid' or 'test', got {stage!r}")

    def targets(self, stage: Stage) -> pd.DataFrame:
        """The held-out item per user for ``stage`` (one row per user, ascending user id)."""
        return self.valid if stage == "valid" else self.test

    def histories(self, stage: Stage, user_ids: np.ndarray | None = None) -> Histories:
        """Input histories for ranking the ``stage`` item: everything before it.

        Args:
            stage: ``valid`` (history = train) or ``test`` (history = train + validation).
            user_ids: Users to include, in order; defaults to every user with a ``stage`` item.
        """
        if user_ids is None:
            user_ids = self.targets(stage)["user_id"].to_numpy()
        return Histories.from_frame(self.fit_data(stage), user_ids)

    def target_items(self, stage: Stage, user_ids: np.ndarray) -> np.ndarray:
        """Catalog position of the ``stage`` item of each of ``user_ids`` (which must all have one)."""
        targets = self.targets(stage)
        rows = np.searchsorted(targets["user_id"].to_numpy(), user_ids)
        rows = np.minimum(rows, len(targets) - 1)
        if not np.array_equal(targets["user_id"].to_numpy()[rows], user_ids):
            raise KeyError(f"some users have no {stage} item")
        return targets["item"].to_numpy(dtype=np.int64)[rows]


def _merge_in_order(train: pd.DataFrame, valid: pd.DataFrame) -> pd.DataFrame:
    """Train plus validation rows, each user's validation row after their train rows."""
    merged = pd.concat([train.assign(_part=0), valid.assign(_part=1)], ignore_index=True)
    order = np.lexsort((merged["_part"].to_numpy(), merged["user_id"].to_numpy()))
    # lexsort is stable: train rows keep their protocol order within each user.
    return merged.iloc[order].drop(columns="_part").reset_index(drop=True)


def split_leave_last_out(catalog: Catalog, interactions: pd.DataFrame) -> Split:
    """Split a release by the protocol: last interaction = test, second-to-last = validation.

    Args:
        catalog: The release's catalog (from :func:`retrieval.movielens.load_dataset`).
        interactions: Columns ``user_id, movie_id, rating, timestamp``; nothing is filtered.

    Returns:
        The split; users with one interaction have a test item and no validation item.
    """
    if interactions.empty:
        raise ValueError("no interactions to split: the ratings file is empty")
    return _split_ordered(catalog, order_interactions(interactions[["user_id", "movie_id", "rating", "timestamp"]]))


def split_llamarec(catalog: Catalog, interactions: pd.DataFrame, core: int = 5) -> Split:
    """The LlamaRec paper's preprocessing (Yue et al. 2023), for comparing with its published table.

    Ratings of every value; ``core``-core filtering of users and movies repeated until stable; each
    user's history ordered by (timestamp, movie id); last = test, second-to-last = validation.
    """
    kept = k_core(interactions[["user_id", "movie_id", "rating", "timestamp"]], core)
    if kept.empty:
        raise ValueError(f"no interactions survive {core}-core filtering")
    ordered = kept.sort_values(["user_id", "timestamp", "movie_id"], kind="stable").reset_index(drop=True)
    return _split_ordered(catalog, ordered)


SPLITS: dict[str, Callable[[Catalog, pd.DataFrame], "Split"]] = {}
"""Protocols by name (``driftrec eval --protocol``): ``default`` (../shared/PROTOCOL.md), ``llamarec``."""


def k_core(interactions: pd.DataFrame, k: int) -> pd.DataFrame:
    """Drop users and movies with fewer than ``k`` interactions, again and again until none is left."""
    frame = interactions
    while True:
        users = frame.groupby("user_id")["movie_id"].transform("size")
        movies = frame.groupby("movie_id")["user_id"].transform("size")
        keep = (users >= k) & (movies >= k)
        if keep.all():
            return frame.reset_index(drop=True)
        frame = frame[keep]


def _split_ordered(catalog: Catalog, ordered: pd.DataFrame) -> Split:
    """Leave-last-out over interactions already in each user's order."""
    eval_catalog = evaluation_catalog(catalog, ordered)
    ordered = ordered.copy()
    ordered["item"] = eval_catalog.positions(ordered["movie_id"].to_numpy())
    from_end = ordered.groupby("user_id", sort=False).cumcount(ascending=False).to_numpy()
    test = ordered[from_end == 0].reset_index(drop=True)
    valid = ordered[from_end == 1].reset_index(drop=True)
    train = ordered[from_end >= 2].reset_index(drop=True)
    return Split(
        catalog=eval_catalog,
        train=train,
        valid=valid,
        test=test,
        users=test["user_id"].to_numpy(dtype=np.int64),
    )


SPLITS.update({"default": split_leave_last_out, "llamarec": split_llamarec})

"""Bulk import of MovieLens ratings into the event log (``driftrec ingest --dataset NAME``).

Each rating becomes a ``rating`` event with source ``history``, the data's own timestamp and the id
``h:{dataset}:{user}:{movie}:{timestamp}`` (:func:`tracking.events.history_event_id`), so importing
the same release twice stores nothing twice and an interrupted import is finished by running it
again. Users keep their MovieLens number as their (string) id.

Ratings go in in protocol time order (by user, then timestamp, then the evaluation protocol's
sha256 tie-break), so each user's log order is their time order and a profile rebuilt by folding
the log sees the same sequence the evaluation does.

Speed: the whole frame is checked and sorted column-wise with numpy; SQLite itself builds each
event id by string concatenation in the INSERT (see :meth:`EventLog.append_history_ratings`), so
the only per-row Python work is the tuple that ``executemany`` binds.

One transaction per batch: a batch is acknowledged (``on_batch``) once committed, and a killed
import leaves exactly the committed batches. Between batches the write lock is free, so a live
append from another process (a chat turn) gets in within about one batch instead of waiting for
the whole import.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from tqdm import tqdm

from retrieval.errors import DriftrecError
from retrieval.movielens import protocol_order
from tracking.events import DEFAULT_BATCH_SIZE, RATING_RANGE, EventStore, check_dataset_name, history_event_id

REQUIRED_COLUMNS = ("user_id", "movie_id", "rating", "timestamp")


@dataclass(frozen=True)
class IngestReport:
    """What an import did.

    Attributes:
        dataset: The release name.
        total: Ratings in the input.
        new: Events newly stored.
        already_present: Ratings whose event was already in the log (a re-import, or the part an
            interrupted import had committed).
        seconds: Wall time of the import (ordering and writing; not loading the files).
        events_per_second: ``total / seconds``.
    """

    dataset: str
    total: int
    new: int
    already_present: int
    seconds: float
    events_per_second: float


def ingest_interactions(
    log: EventStore,
    interactions: pd.DataFrame,
    dataset: str,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: bool = True,
    on_batch: Callable[[str], None] | None = None,
) -> IngestReport:
    """Import MovieLens ratings as ``rating`` events with source ``history``.

    Args:
        log: The event log to write to.
        interactions: Columns ``user_id, movie_id, rating, timestamp`` (integers, except rating),
            as :func:`retrieval.movielens.load_dataset` returns them.
        dataset: Release name, part of every event id (e.g. ``ml-latest-small``).
        batch_size: Ratings per transaction.
        progress: Show a progress bar on stderr.
        on_batch: Called after each batch is committed with the id of its last event: from then on
            every event of that batch and of the batches before it is durable.

    Returns:
        Counts and speed of the import.

    Raises:
        DriftrecError: The frame lacks a column or holds an impossible value, or the dataset name is
            not a plain release name; nothing is written in that case.
    """
    check_dataset_name(dataset)
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    columns = _checked_columns(interactions, dataset)
    started = time.perf_counter()
    order = protocol_order(interactions)
    users, movies, ratings, stamps = (column[order] for column in columns)
    new = 0
    with tqdm(total=len(order), unit="event", desc=f"ingest {dataset}", disable=not progress) as bar:
        for start in range(0, len(order), batch_size):
            stop = min(start + batch_size, len(order))
            # tolist() turns each column slice into Python ints/floats in C; zip pairs them lazily.
            rows = zip(users[start:stop].tolist(), movies[start:stop].tolist(),
                       ratings[start:stop].tolist(), stamps[start:stop].tolist())
            new += log.append_history_ratings(dataset, rows)
            bar.update(stop - start)
            if on_batch is not None:
                last = stop - 1
                on_batch(history_event_id(dataset, int(users[last]), int(movies[last]), int(stamps[last])))
    seconds = time.perf_counter() - started
    total = len(order)
    return IngestReport(
        dataset=dataset, total=total, new=new, already_present=total - new,
        seconds=seconds, events_per_second=total / seconds if seconds > 0 else float("inf"),
    )


def _checked_columns(frame: pd.DataFrame, dataset: str) -> tuple[np.ndarray, ...]:
    """The four columns as int64/float64 arrays, after checking every value at once.

    The bulk path builds no :class:`~tracking.events.Event`, so the rules an event would enforce
    (positive ids, ratings in range, finite non-negative times) are checked here, column-wise.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise DriftrecError(
            f"{dataset} interactions lack column(s) {', '.join(missing)}; expected {', '.join(REQUIRED_COLUMNS)}"
        )
    users = _whole_numbers(frame["user_id"], "user_id", dataset)
    movies = _whole_numbers(frame["movie_id"], "movie_id", dataset)
    stamps = _whole_numbers(frame["timestamp"], "timestamp", dataset, allow_zero=True)
    ratings = pd.to_numeric(frame["rating"], errors="coerce").to_numpy(dtype=np.float64)
    low, high = RATING_RANGE
    bad = ~((ratings >= low) & (ratings <= high))  # NaN fails both comparisons
    _raise_first_bad(bad, frame["rating"], "rating", dataset, f"a number from {low} to {high}")
    return users, movies, ratings, stamps


def _whole_numbers(column: pd.Series, name: str, dataset: str, *, allow_zero: bool = False) -> np.ndarray:
    if not pd.api.types.is_integer_dtype(column):
        raise DriftrecError(f"{dataset} interactions: column {name} must hold whole numbers, got {column.dtype}")
    values = column.to_numpy(dtype=np.int64)
    bad = values < 0 if allow_zero else values <= 0
    _raise_first_bad(bad, column, name, dataset, "non-negative" if allow_zero else "positive")
    return values


def _raise_first_bad(bad: np.ndarray, column: pd.Series, name: str, dataset: str, expected: str) -> None:
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise DriftrecError(
            f"{dataset} interactions: {int(bad.sum())} value(s) of {name} are not {expected} "
            f"(first: row {first}, {column.iloc[first]!r}); fix the ratings file and import again"
        )

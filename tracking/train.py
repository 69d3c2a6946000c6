"""``driftrec train``: fit the interest model on a MovieLens release and export its scoring tables.

Each user's last interaction is held out for early stopping (NDCG@10 over the full catalog,
history excluded, as in the evaluation protocol); the exported model is the best epoch's.
"""

from __future__ import annotations

import gc
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable


import numpy as np
import torch

from retrieval.fileio import atomic_write
from retrieval.movielens import MovieLensData, load_dataset, protocol_order
from retrieval.settings import Settings
from retrieval.store import MovieIndex
import dataclasses

from tracking.model import (
    Sequences, TrackerConfig, _training_positions, fit_interest_model, logits_gemm_seconds, score_sequences, training_threads,
)
from tracking.scoring import CatalogFeatures, ScoringTables, score_histories

SHIFT_WEIGHTS = (0.0, 4.0, 8.0, 16.0, 32.0)
"""Genre-shift weights tried on the validation item after training."""
SHIFT_TOLERANCE = 0.99
"""The largest weight whose validation NDCG@10 is within 1% of the best is kept: tracking at no cost."""


def tables_path(settings: Settings) -> Path:
    """Where the trained scoring tables of the selected data set live."""
    return settings.cache_dir / settings.dataset / "tracker.npz"


@dataclass
class TrainReport:
    dataset: str
    users: int
    movies: int
    interactions: int
    epochs_run: int
    best_epoch: int
    validation_ndcg10: float
    shift_weight: float
    shift_trials: dict[float, float]
    seconds: float
    path: str
    threads: int = 1
    softmax: str = "full"
    epoch_seconds: float = 0.0
    positions_per_second: float = 0.0
    floor_share: float = 0.0
    """The logits GEMMs alone (timed on this machine at the same shapes, between this run's batches)
    over the epoch's time."""
    spent_share: dict[str, float] = dataclasses.field(default_factory=dict)
    resumed_after: int = 0
    """The epoch an interrupted run had finished when this one resumed it (0: a fresh start)."""
    processes: int = 1
    main_process: bool = True
    quick: bool = False


def user_sequences(data: MovieLensData, movie_ids: np.ndarray) -> tuple[Sequences, np.ndarray]:
    """Every user's interactions in protocol order as catalog rows; also the user ids, ascending."""
    frame = data.interactions.iloc[protocol_order(data.interactions)]
    users = frame["user_id"].to_numpy()
    rows = np.searchsorted(movie_ids, frame["movie_id"].to_numpy())
    sequences = Sequences.from_grouped(users, rows, frame["rating"].to_numpy())
    return sequences, users[sequences.offsets[:-1]]


def hold_out_last(sequences: Sequences) -> tuple[Sequences, Sequences, np.ndarray]:
    """(train without each user's last item, the same histories for validation, the held-out items).

    Users with a single interaction keep it for training and are not validated.
    """
    lengths = sequences.lengths
    keep_last = lengths < 2
    last = sequences.offsets[1:] - 1
    drop = np.ones(len(sequences.items), dtype=bool)
    drop[last[~keep_last]] = False
    new_lengths = lengths - (~keep_last).astype(np.int64)
    offsets = np.concatenate([[0], np.cumsum(new_lengths)]).astype(np.int64)
    train = Sequences(offsets, sequences.items[drop], sequences.ratings[drop])
    rows = np.flatnonzero(~keep_last)
    valid_offsets = np.concatenate([[0], np.cumsum(new_lengths[rows])]).astype(np.int64)
    starts = offsets[rows]
    index = np.concatenate([np.arange(s, s + n) for s, n in zip(starts, new_lengths[rows])]) if len(rows) else np.zeros(0, np.int64)
    validation = Sequences(valid_offsets, train.items[index], train.ratings[index])
    return train, validation, sequences.items[last[rows]]


def ndcg_at_10(scores: np.ndarray, histories: Sequences, targets: np.ndarray) -> float:
    """Mean NDCG@10 of ``targets`` ranked by ``scores`` over the catalog, history movies excluded."""
    scores = scores.copy()
    user_of = np.repeat(np.arange(len(histories)), histories.lengths)
    scores[user_of, histories.items] = -np.inf
    target_scores = scores[np.arange(len(targets)), targets]
    # Ties rank by movie position, as the protocol breaks them by movie id.
    better = (scores > target_scores[:, None]).sum(axis=1)
    tied_before = ((scores == target_scores[:, None]) & (np.arange(scores.shape[1]) < targets[:, None])).sum(axis=1)
    rank = better + tied_before + 1
    return float(np.where(rank <= 10, 1.0 / np.log2(rank + 1.0), 0.0).mean())


def model_info_path(settings: Settings) -> Path:
    """What the app says of the model it scores with (written beside the tables)."""
    return tables_path(settings).with_name("tracker.json")


def model_info(settings: Settings) -> dict | None:
    """The info of the trained model (``quick``: stopped by a time budget), or None when unknown."""
    path = model_info_path(settings)
    return json.loads(path.read_text()) if path.is_file() else None


def checkpoint_path(settings: Settings) -> Path:
    """Where an unfinished training keeps its last epoch (resumed by the next `driftrec train`)."""
    return settings.cache_dir / settings.dataset / "train-checkpoint.pt"


VALIDATION_CHUNK = 2048
"""Users scored at once in validation: a users × movies score matrix of ml-25m (162k × 62k floats)
would not fit in memory, so validation goes through it this many users at a time."""


def user_rows(histories: Sequences, start: int, stop: int) -> Sequences:
    """Users ``start:stop`` of ``histories`` as sequences of their own (offsets from 0)."""
    low, high = histories.offsets[start], histories.offsets[stop]
    return Sequences(histories.offsets[start : stop + 1] - low, histories.items[low:high], histories.ratings[low:high])


def validation_ndcg(score: Callable[[Sequences], np.ndarray], histories: Sequences, targets: np.ndarray,
                    chunk: int = VALIDATION_CHUNK) -> float:
    """Mean NDCG@10 (as :func:`ndcg_at_10`) scoring ``chunk`` users at a time with ``score``."""
    total = 0.0
    for start in range(0, len(histories), chunk):
        stop = min(start + chunk, len(histories))
        part = user_rows(histories, start, stop)
        total += ndcg_at_10(score(part), part, targets[start:stop]) * (stop - start)
    return total / max(len(histories), 1)


def train_tracker(settings: Settings, config: TrackerConfig, progress: bool = True,
                  time_budget_s: float | None = None) -> TrainReport:
    """Train on ``settings.dataset`` and write the scoring tables (atomically).

    Runs as it is started: one process (CPU or one GPU), or one of several under ``accelerate
    launch`` (data-parallel; the main process writes the tables). A killed run resumes from its
    last finished epoch (:func:`checkpoint_path`). With ``time_budget_s`` training stops after the
    first epoch past the budget and the model is marked quick (:func:`model_info`), for a first
    run that serves in minutes while a full training follows (``driftrec ui`` starts it).
    """
    from accelerate import Accelerator

    started = time.perf_counter()
    accelerator = Accelerator(cpu=not torch.cuda.is_available())
    threads = training_threads() if accelerator.num_processes == 1 else max(1, (os.cpu_count() or 1) // accelerator.num_processes)
    torch.set_num_threads(threads)
    data = load_dataset(settings.dataset, settings.data_dir)
    index = MovieIndex(settings)
    if not index.exists():
        index.build(data, progress=progress)
    movie_ids, text_vectors = index.item_matrix()
    missing = np.setdiff1d(data.catalog.movie_ids, movie_ids)
    if len(missing):
        index.build(data, progress=progress)
        movie_ids, text_vectors = index.item_matrix()
    sequences, _ = user_sequences(data, movie_ids)
    train, validation, targets = hold_out_last(sequences)
    checkpoint = checkpoint_path(settings)
    model, report = fit_interest_model(
        train, len(movie_ids), text_vectors, config,
        lambda m: validation_ndcg(lambda part: score_sequences(m, part), validation, targets), progress,
        checkpoint=None if time_budget_s else checkpoint, accelerator=accelerator, time_budget_s=time_budget_s,
    )
    tables = ScoringTables.from_model(model, movie_ids)
    tables, trials = choose_shift_weight(tables, CatalogFeatures.build(data.catalog, tables), validation, targets)
    path = tables_path(settings)
    if accelerator.is_main_process:
        tables.save(path)
        info = {"quick": report.stopped_by_budget, "epochs_run": report.epochs_run, "best_epoch": report.best_epoch,
                "validation_ndcg10": report.best_validation, "time_budget_s": time_budget_s, "trained_at": time.time()}
        atomic_write(model_info_path(settings), lambda handle: handle.write(json.dumps(info).encode()))
        if not time_budget_s:
            checkpoint.unlink(missing_ok=True)
    accelerator.wait_for_everyone()
    # Under `accelerate launch`: release the prepared (data-parallel) model, whose reducer holds the
    # process group, then destroy the group, so that no gloo object is left for the interpreter's
    # exit to destroy (that aborted a rank, SIGABRT, in 1 of 40 two-process runs; 0 of 80 so)
    accelerator.free_memory()
    gc.collect()  # free_memory collects before it drops its references: a cycle through the model would stay
    accelerator.end_training()
    sampled = config.sampled_for(len(movie_ids))
    positions = len(_training_positions(train, config.max_positions_per_user)[0])
    training_s = sum(report.spent.values())
    epoch_s = training_s / max(report.epochs_run, 1)
    batch_size = config.batch_size_for(len(movie_ids))
    # timed between the batches (the same minutes' machine); once now only when no probe was due
    floor_batch_s = report.floor_batch_seconds or logits_gemm_seconds(-(-batch_size // report.processes),
                                                                      config.dim + 1, config.logits_columns(len(movie_ids)))
    floor_s = floor_batch_s * -(-positions // batch_size)
    return TrainReport(
        dataset=settings.dataset,
        users=len(sequences),
        movies=len(movie_ids),
        interactions=len(sequences.items),
        epochs_run=report.epochs_run,
        best_epoch=report.best_epoch,
        validation_ndcg10=report.best_validation,
        shift_weight=tables.shift_weight,
        shift_trials=trials,
        seconds=time.perf_counter() - started,
        path=str(path),
        threads=threads,
        softmax="sampled" if sampled else "full",
        epoch_seconds=epoch_s,
        positions_per_second=positions / epoch_s if epoch_s else 0.0,
        floor_share=floor_s / epoch_s if epoch_s else 0.0,
        spent_share={part: seconds / training_s for part, seconds in report.spent.items()} if training_s else {},
        resumed_after=report.resumed_after,
        processes=report.processes,
        main_process=accelerator.is_main_process,
        quick=report.stopped_by_budget,
    )


def choose_shift_weight(
    tables: ScoringTables, features: CatalogFeatures, histories: Sequences, targets: np.ndarray
) -> tuple[ScoringTables, dict[float, float]]:
    """Pick the genre-shift weight on the validation item (see SHIFT_TOLERANCE); returns the tables and trials."""
    trials = {
        weight: validation_ndcg(
            lambda part, w=weight: score_histories(dataclasses.replace(tables, shift_weight=w), features, part), histories, targets)
        for weight in SHIFT_WEIGHTS
    }
    best = max(trials.values())
    chosen = max(weight for weight, value in trials.items() if value >= SHIFT_TOLERANCE * best)
    return dataclasses.replace(tables, shift_weight=chosen), trials

"""One evaluation run: split, tune every model on the validation item, test it over seeds, report.

``run_evaluation`` is the API behind ``driftrec eval``; it has no argument parsing of its own.

For each model:

1. Tuning: one fit on train per setting of the model's ``param_grid`` (first seed), each ranked on
   the validation item; the setting with the best validation NDCG@10 wins (ties: the earlier one).
   Models may also early-stop on the validation item inside ``fit`` and report what they chose
   (``tuned_params``), e.g. SASRec's epoch count.
2. Test: for each seed (one seed for deterministic models) a refit on train + validation with the
   chosen setting, then the test item is ranked from the full history before it. Metrics on all users
   and on the drift subset, the injected shift, fit time and scoring time.

The test item is never seen by ``fit`` and never used for a choice.
"""

from __future__ import annotations

import json
import platform
import time
import warnings
from contextlib import nullcontext
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from evaluation.drift import build_shift_cases, drift_subset, evaluate_shift
from evaluation.metrics import accuracy_metrics, list_metrics, ndcg, target_ranks, top_k
from evaluation.models import DEFAULT_MODELS, ModelUnavailableError, get_model_class
from evaluation.models.base import Recommender, ValidationData, item_user_counts
from evaluation.protocol import SPLITS, EvalCatalog, Histories, Split

K_MAX = 20
QUICK_USERS = 200
QUICK_SHIFT_USERS = 50
SAMPLE_SEED = 0
SCORE_BATCH_CELLS = 1 << 24  # users x items per scoring batch (64 MB of float32 scores)

ModelSpec = str | tuple[str, type[Recommender]]


@dataclass
class EvalContext:
    """Everything fixed before the first model is evaluated (shared by all models and seeds)."""

    dataset: str
    split: Split
    valid_histories: Histories
    valid_targets: np.ndarray
    test_histories: Histories
    test_targets: np.ndarray
    drift_rows: np.ndarray
    shift_cases: Any
    item_vectors: np.ndarray
    item_vectors_label: str
    test_popularity: np.ndarray
    quick: bool
    protocol: str = "default"


def _progress(iterable, *, enabled: bool, **kwargs):
    if not enabled:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, **kwargs)


def rank_histories(
    model: Recommender,
    histories: Histories,
    n_items: int,
    k: int = K_MAX,
    *,
    progress: bool = False,
    label: str = "scoring",
) -> tuple[np.ndarray, float]:
    """Top-k lists for every history (history items excluded), scored in user batches.

    Returns:
        ``(lists, seconds)`` where ``seconds`` is the time spent in ``model.score`` only.
    """
    batch = max(1, SCORE_BATCH_CELLS // max(n_items, 1))
    lists = np.empty((len(histories), k), dtype=np.int64)
    seconds = 0.0
    starts = range(0, len(histories), batch)
    for start in _progress(starts, enabled=progress, desc=label, unit="batch", leave=False):
        part = histories.take(slice(start, start + batch))
        began = time.perf_counter()
        scores = model.score(part)
        seconds += time.perf_counter() - began
        if scores.shape != (len(part), n_items):
            raise ValueError(
                f"{type(model).__name__}.score returned shape {scores.shape}; expected {(len(part), n_items)}"
            )
        lists[start : start + len(part)] = top_k(scores, k, part.row_of_entry, part.items)
    return lists, seconds


def _fit(model: Recommender, train, catalog: EvalCatalog, validation: ValidationData | None) -> float:
    began = time.perf_counter()
    model.fit(train, catalog, validation)
    return time.perf_counter() - began


def build_context(
    dataset: str,
    data_dir: Path,
    quick: bool,
    item_vectors: tuple[np.ndarray, np.ndarray] | None,
    item_vectors_label: str | None,
    protocol: str = "default",
) -> EvalContext:
    from retrieval.movielens import load_dataset

    data = load_dataset(dataset, Path(data_dir))
    split = SPLITS[protocol](data.catalog, data.interactions)
    test_users = split.test["user_id"].to_numpy()
    if quick:
        rng = np.random.default_rng(SAMPLE_SEED)
        test_users = np.sort(rng.choice(test_users, size=min(QUICK_USERS, len(test_users)), replace=False))
    valid_users = test_users[np.isin(test_users, split.valid["user_id"].to_numpy())]
    valid_histories = split.histories("valid", valid_users)
    test_histories = split.histories("test", test_users)
    vectors, label = _align_item_vectors(split.catalog, item_vectors, item_vectors_label)
    return EvalContext(
        dataset=dataset,
        split=split,
        valid_histories=valid_histories,
        valid_targets=split.target_items("valid", valid_users),
        test_histories=test_histories,
        test_targets=split.target_items("test", test_users),
        drift_rows=np.flatnonzero(np.isin(test_users, drift_subset(split))),
        shift_cases=build_shift_cases(split, n_users=QUICK_SHIFT_USERS if quick else 200, seed=SAMPLE_SEED),
        item_vectors=vectors,
        item_vectors_label=label,
        test_popularity=item_user_counts(split.fit_data("test"), split.n_items),
        quick=quick,
        protocol=protocol,
    )


def _align_item_vectors(
    catalog: EvalCatalog,
    item_vectors: tuple[np.ndarray, np.ndarray] | None,
    label: str | None,
) -> tuple[np.ndarray, str]:
    """Vectors for ILD, one row per catalog position; multi-hot genres unless given ``(movie_ids, matrix)``."""
    if item_vectors is None:
        genres = catalog.genre_matrix
        return genres, label or f"multi-hot genres ({genres.shape[1]} labels)"
    movie_ids, matrix = item_vectors
    order = np.argsort(movie_ids)
    sorted_ids = np.asarray(movie_ids)[order]
    where = np.searchsorted(sorted_ids, catalog.movie_ids)
    where = np.minimum(where, len(sorted_ids) - 1)
    missing = sorted_ids[where] != catalog.movie_ids
    if missing.any():
        raise ValueError(
            f"item_vectors lack {int(missing.sum())} catalog movies (e.g. {catalog.movie_ids[missing][:5].tolist()}); "
            "encode the whole catalog first"
        )
    return np.asarray(matrix)[order][where], label or f"given vectors ({np.asarray(matrix).shape[1]}-d)"


def validation_ranks(model: Recommender, ctx: EvalContext) -> tuple[np.ndarray, float]:
    """Fit ``model`` on the part before each user's validation item (the validation item given for early
    stopping) and rank that item: (its rank for each validation user, fit seconds). The test item is not read.
    The caller closes the model (after reading what it tuned, if it wants to)."""
    fit_seconds = _fit(model, ctx.split.fit_data("valid"), ctx.split.catalog,
                       ValidationData(ctx.valid_histories, ctx.valid_targets))
    lists, _ = rank_histories(model, ctx.valid_histories, ctx.split.n_items)
    return target_ranks(lists, ctx.valid_targets), fit_seconds


def _tune(model_class: type[Recommender], ctx: EvalContext, seed: int, progress: bool) -> tuple[dict, dict, list]:
    """Try each grid setting on the validation item; return (best params, tuned params, trials)."""
    trials: list[dict[str, Any]] = []
    best: tuple[float, dict, dict] | None = None
    grid = model_class.grid_for(ctx.protocol)
    for params in _progress(grid, enabled=progress and len(grid) > 1, desc=f"{model_class.name} tuning", leave=False):
        model = model_class(**params, seed=seed)
        try:
            ranks, fit_seconds = validation_ranks(model, ctx)
            tuned = model.tuned_params()
        finally:
            model.close()
        score = ndcg(ranks, 10)
        trials.append({"params": params, "tuned": tuned, "valid_ndcg@10": score, "fit_seconds": fit_seconds})
        if best is None or score > best[0]:
            best = (score, params, tuned)
    assert best is not None
    return best[1], best[2], trials


def _test_one_seed(
    model_class: type[Recommender], params: dict, ctx: EvalContext, seed: int, progress: bool
) -> dict[str, float]:
    model = model_class(**params, seed=seed)
    try:
        fit_seconds = _fit(model, ctx.split.fit_data("test"), ctx.split.catalog, None)
        lists, score_seconds = rank_histories(
            model, ctx.test_histories, ctx.split.n_items, progress=progress, label=f"{model_class.name} scoring"
        )
        result = list_metrics(
            lists,
            ctx.test_targets,
            n_items=ctx.split.n_items,
            interaction_users=ctx.test_popularity,
            n_users=len(ctx.split.users),
            item_vectors=ctx.item_vectors,
        )
        drift = accuracy_metrics(target_ranks(lists[ctx.drift_rows], ctx.test_targets[ctx.drift_rows]), (10,))
        result.update({f"drift_{name}": value for name, value in drift.items()})
        result.update(evaluate_shift(model, ctx.shift_cases, ctx.split.catalog.genre_matrix))
    finally:
        model.close()
    result["fit_seconds"] = fit_seconds
    result["score_ms_per_user"] = 1000.0 * score_seconds / max(len(ctx.test_histories), 1)
    return result


def evaluate_model(
    model_class: type[Recommender], ctx: EvalContext, seeds: Sequence[int], progress: bool = True
) -> dict[str, Any]:
    """Tune ``model_class`` on validation, then test it on each seed; mean and std over seeds."""
    run_seeds = list(seeds) if model_class.stochastic else list(seeds)[:1]
    began = time.perf_counter()
    params, tuned, trials = _tune(model_class, ctx, run_seeds[0], progress)
    chosen = {**params, **tuned}
    per_seed = {}
    for seed in _progress(run_seeds, enabled=progress and len(run_seeds) > 1, desc=f"{model_class.name} seeds", leave=False):
        per_seed[str(seed)] = _test_one_seed(model_class, chosen, ctx, seed, progress)
    names = list(next(iter(per_seed.values())))
    table = np.array([[per_seed[s][n] for n in names] for s in per_seed], dtype=np.float64)
    return {
        "name": model_class.name,
        "stochastic": model_class.stochastic,
        "params": _jsonable(chosen),
        "tuning": _jsonable(trials),
        "seeds": per_seed,
        "mean": dict(zip(names, np.nanmean(table, axis=0).tolist())),
        "std": dict(zip(names, np.nanstd(table, axis=0).tolist())),
        "min": dict(zip(names, np.nanmin(table, axis=0).tolist())),
        "max": dict(zip(names, np.nanmax(table, axis=0).tolist())),
        "total_seconds": time.perf_counter() - began,
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _environment() -> dict[str, Any]:
    versions = {}
    for package in ("numpy", "pandas", "scipy", "torch", "implicit"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {"python": platform.python_version(), "machine": platform.machine(), "packages": versions}


def run_evaluation(
    dataset: str,
    data_dir: Path | str,
    models: Sequence[ModelSpec] | None = None,
    seeds: int | Sequence[int] = 3,
    quick: bool = False,
    out_dir: Path | str | None = None,
    *,
    item_vectors: tuple[np.ndarray, np.ndarray] | None = None,
    item_vectors_label: str | None = None,
    progress: bool = True,
    threads: int | None = 1,
    log: Callable[[str], None] | None = print,
    item_text: dict[str, Any] | None = None,
    protocol: str = "default",
) -> dict[str, Any]:
    """Evaluate models on one data set under the protocol and (optionally) write the report.

    Args:
        dataset: Release name, e.g. ``ml-latest-small``.
        data_dir: Folder holding releases under their GroupLens names.
        models: Registry names (see :mod:`evaluation.models`) or ``(name, class)`` pairs. None means
            :data:`~evaluation.models.DEFAULT_MODELS`, skipping (and reporting) those whose optional
            dependencies are missing; a model named explicitly must be available.
        seeds: Number of seeds (0, 1, ...) or the seeds themselves; deterministic models use the first.
        quick: Evaluate a fixed sample of 200 users (50 for the injected shift) instead of all.
        out_dir: Where to write ``results.json``, ``results.md`` and the PNG plots; None writes nothing.
        item_vectors: ``(movie_ids, matrix)`` for ILD (e.g. text embeddings); default multi-hot genres.
        item_vectors_label: How to name those vectors in the report.
        progress: Show progress bars.
        threads: BLAS and torch threads during the run (None leaves them alone). One thread is both
            fairer between models and faster on a busy two-core machine.
        log: Where to send one-line status messages (None: silent).
        item_text: What the models' item text was made of (encoder, keywords, tags), recorded as is.
        protocol: The split (:data:`evaluation.protocol.SPLITS`): ``default`` is ../shared/PROTOCOL.md,
            ``llamarec`` the LlamaRec paper's 5-core preprocessing.

    Returns:
        The results dictionary that ``results.json`` holds.
    """
    seed_list = list(range(seeds)) if isinstance(seeds, int) else list(seeds)
    if not seed_list:
        raise ValueError("seeds must name at least one seed")
    classes, skipped = _resolve_models(models)
    say = log or (lambda message: None)
    with thread_limits(threads):
        began = time.perf_counter()
        if protocol not in SPLITS:
            raise KeyError(f"unknown protocol {protocol!r}; choose one of {', '.join(SPLITS)}")
        ctx = build_context(dataset, Path(data_dir), quick, item_vectors, item_vectors_label, protocol)
        say(
            f"{dataset}: {len(ctx.split.users)} users, catalog {ctx.split.n_items}, "
            f"evaluating {len(ctx.test_histories)} users, drift subset {len(ctx.drift_rows)}"
        )
        results: dict[str, Any] = {
            "dataset": dataset,
            "quick": quick,
            "seeds": seed_list,
            "users": int(len(ctx.split.users)),
            "evaluated_users": int(len(ctx.test_histories)),
            "catalog_size": int(ctx.split.n_items),
            "drift_subset_users": int(len(ctx.drift_rows)),
            "shift_users": int(len(ctx.shift_cases)),
            "shift_eligible_users": int(ctx.shift_cases.eligible_users),
            "item_vectors": ctx.item_vectors_label,
            "item_text": item_text,
            "protocol": "shared/PROTOCOL.md" if protocol == "default" else protocol,
            "conversation": None,
            "environment": _environment(),
            "skipped": skipped,
            "models": {},
        }
        for key, model_class in classes:
            say(f"{dataset}: {model_class.name} ...")
            outcome = evaluate_model(model_class, ctx, seed_list, progress)
            results["models"][key] = outcome
            mean = outcome["mean"]
            say(
                f"{dataset}: {model_class.name} HR@10 {mean['hr@10']:.4f} NDCG@10 {mean['ndcg@10']:.4f} "
                f"({outcome['total_seconds']:.0f} s, params {outcome['params']})"
            )
            if out_dir is not None:  # after every model, so a long run that is stopped keeps what it did
                _write(results, out_dir)
        results["total_seconds"] = time.perf_counter() - began
    if out_dir is not None:
        _write(results, out_dir)
    return results


def _write(results: dict[str, Any], out_dir: Path | str) -> None:
    from evaluation.report import write_report

    write_report(results, Path(out_dir))


def _resolve_models(models: Sequence[ModelSpec] | None) -> tuple[list[tuple[str, type[Recommender]]], dict[str, str]]:
    classes: list[tuple[str, type[Recommender]]] = []
    skipped: dict[str, str] = {}
    for spec in models if models is not None else DEFAULT_MODELS:
        if isinstance(spec, tuple):
            classes.append(spec)
            continue
        try:
            classes.append((spec.lower(), get_model_class(spec)))
        except ModelUnavailableError as error:
            if models is not None:
                raise
            skipped[spec] = str(error)
            warnings.warn(f"skipping {spec}: {error}", stacklevel=2)
    return classes, skipped


def thread_limits(threads: int | None):
    """Limit BLAS (threadpoolctl) and torch to ``threads`` threads for the run."""
    if threads is None:
        return nullcontext()
    try:
        import torch

        torch.set_num_threads(threads)
    except ImportError:
        pass
    warnings.filterwarnings("ignore", message="OpenBLAS is configured to use", category=RuntimeWarning)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        warnings.warn("threadpoolctl is not installed: BLAS thread count left as is", stacklevel=3)
        return nullcontext()
    return threadpool_limits(threads)


def load_results(path: Path | str) -> dict[str, Any]:
    """Read a ``results.json`` written by :func:`run_evaluation`."""
    return json.loads(Path(path).read_text())

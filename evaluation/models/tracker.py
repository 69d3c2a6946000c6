"""The driftrec tracker under the evaluation protocol, scored through the product's own path.

``fit`` trains :mod:`tracking.model` and exports the same :class:`~tracking.scoring.ScoringTables`
that ``driftrec train`` writes; ``score`` folds each history into an
:class:`~tracking.profile.InterestProfile` and scores it with :func:`~tracking.scoring.score_profile`,
exactly as ``driftrec recommend`` does (without feedback, which the protocol does not give).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from evaluation.metrics import ndcg, target_ranks, top_k
from evaluation.models.base import Recommender, ValidationData
from evaluation.protocol import EvalCatalog, Histories
from tracking.model import AUTO_BATCH_SIZE, AUTO_HISTORY_SAMPLE, AUTO_LR, AUTO_TEXT_WIDTH, Sequences, TrackerConfig, fit_interest_model, score_sequences
from tracking.scoring import CatalogFeatures, ScoringTables, score_histories
from tracking.train import choose_shift_weight

if TYPE_CHECKING:
    from retrieval.settings import Settings

class DriftrecTracker(Recommender):
    """Softmax interest model with long-/short-term parts and a genre-shift term.

    Early stopping on validation NDCG@10 picks the epoch count (reused by the refit on
    train + validation); the genre-shift weight is chosen on the same validation item.

    Item vectors start from the text encoder's vectors of each movie when :attr:`text_vectors` is
    set (``driftrec eval`` sets it, see :mod:`evaluation.item_text`); :class:`DriftrecIds` is the
    same model from item ids alone.

    Args:
        epochs: Exact epochs, or None to early-stop on validation.
        shift_weight: Exact genre-shift weight, or None to choose it on validation.
        **config: Other :class:`~tracking.model.TrackerConfig` fields.
    """

    name: ClassVar[str] = "driftrec"
    stochastic: ClassVar[bool] = True
    param_grid: ClassVar[list[dict[str, Any]]] = [{"dim": 64}]
    protocol_grids: ClassVar[dict[str, list[dict[str, Any]]]] = {
        "llamarec": [{"dim": dim, "window": window} for dim in (64, 128, 256) for window in (10, 20, 50)],
    }
    """The LlamaRec protocol is tuned over dimension and window too (docs/results/llamarec.md)."""
    uses_text: ClassVar[bool] = True
    """Whether the model reads :attr:`text_vectors` (callers encode the item text only if one does)."""
    text_vectors: ClassVar[tuple[np.ndarray, np.ndarray] | None] = None
    """(movie_ids, vectors) of the text encoder, set by the caller (``driftrec eval`` sets it)."""
    forced: ClassVar[dict[str, Any]] = {}
    """TrackerConfig fields a variant always sets, under every protocol's grid (given fields win)."""

    def __init__(self, seed: int = 0, epochs: int | None = None, shift_weight: float | None = None, **config: Any) -> None:
        super().__init__(seed)
        self.epochs = epochs
        self.shift_weight = shift_weight
        self.config = {**self.forced, **config}

    def get_params(self) -> dict[str, Any]:
        return {"epochs": self.epochs, "shift_weight": self.shift_weight, **self.config}

    def fit(self, train: pd.DataFrame, catalog: EvalCatalog, validation: ValidationData | None = None) -> "DriftrecTracker":
        config = TrackerConfig(seed=self.seed, **self.config, **({"epochs": self.epochs} if self.epochs else {}))
        validate = None
        if validation is not None and self.epochs is None:
            validate = _ndcg_callback(validation, lambda m, h: score_sequences(m, _sequences(h)))
        model, self.report_ = fit_interest_model(
            _train_sequences(train), len(catalog), self._aligned_text(catalog), config, validate, progress=False
        )
        tables = ScoringTables.from_model(model, catalog.movie_ids)
        self.features_ = CatalogFeatures.build(catalog.catalog, tables)
        if self.shift_weight is not None:
            self.tables_ = dataclasses.replace(tables, shift_weight=float(self.shift_weight))
        elif validation is None:
            raise ValueError("without `shift_weight`, fit needs validation data to choose it")
        else:
            histories = _sequences(validation.histories)
            self.tables_, self.shift_trials_ = choose_shift_weight(
                tables, self.features_, histories, np.asarray(validation.targets)
            )
            self.tuning_log_ = {"shift_weight_validation_ndcg10": self.shift_trials_}
        return self

    def _aligned_text(self, catalog: EvalCatalog) -> np.ndarray | None:
        if self.text_vectors is None:
            return None
        movie_ids, vectors = self.text_vectors
        order = np.minimum(np.searchsorted(movie_ids, catalog.movie_ids), len(movie_ids) - 1)
        if not np.array_equal(movie_ids[order], catalog.movie_ids):
            raise ValueError("text vectors do not cover every catalog movie; index this data set with `driftrec index`")
        return vectors[order]

    def tuned_params(self) -> dict[str, Any]:
        tuned: dict[str, Any] = {}
        if self.epochs is None:
            tuned["epochs"] = self.report_.best_epoch
        if self.shift_weight is None:
            tuned["shift_weight"] = self.tables_.shift_weight
        return tuned

    def score(self, histories: Histories) -> np.ndarray:
        return score_histories(self.tables_, self.features_, _sequences(histories))


class DriftrecSampled(DriftrecTracker):
    """The same tracker trained with the sampled softmax (popularity negatives, logQ correction),
    to measure what sampling costs where the full softmax still fits."""

    name: ClassVar[str] = "driftrec-sampled"
    forced: ClassVar[dict[str, Any]] = {"softmax": "sampled"}
    param_grid: ClassVar[list[dict[str, Any]]] = [{"dim": 64, **forced}]


class DriftrecSampledDrawn(DriftrecTracker):
    """The sampled-softmax tracker that also draws each training row's long-term mean from its history
    (``history_sample``, as ``"auto"`` does for ml-25m-sized catalogs): measures what the drawn mean
    costs where the exact one still fits."""

    name: ClassVar[str] = "driftrec-sampled-drawn"
    forced: ClassVar[dict[str, Any]] = {"softmax": "sampled", "history_sample": AUTO_HISTORY_SAMPLE}
    param_grid: ClassVar[list[dict[str, Any]]] = [{"dim": 64, **forced}]


class DriftrecSampledNarrow(DriftrecTracker):
    """Every setting ``"auto"`` chooses for an ml-25m-sized catalog: the sampled softmax, drawn long-term
    means, the text vectors' leading components (``text_width``, :data:`~tracking.model.AUTO_TEXT_WIDTH`
    of them) and larger batches (:data:`~tracking.model.AUTO_BATCH_SIZE` rows at
    :data:`~tracking.model.AUTO_LR`); measures what they cost together where the full model still fits."""

    name: ClassVar[str] = "driftrec-sampled-narrow"
    forced: ClassVar[dict[str, Any]] = {"softmax": "sampled", "history_sample": AUTO_HISTORY_SAMPLE,
                                        "text_width": AUTO_TEXT_WIDTH, "batch_size": AUTO_BATCH_SIZE, "lr": AUTO_LR}
    param_grid: ClassVar[list[dict[str, Any]]] = [{"dim": 64, **forced}]


class DriftrecBatch512(DriftrecTracker):
    """The tracker with the batches it trained on before 2026-12-03 (512 rows at 2e-3, where the default is
    now :data:`~tracking.model.DEFAULT_BATCH_SIZE` rows at :data:`~tracking.model.DEFAULT_LR`): evaluated
    beside ``driftrec`` in one run, it measures what the larger batches change."""

    name: ClassVar[str] = "driftrec-batch512"
    forced: ClassVar[dict[str, Any]] = {"batch_size": 512, "lr": 2e-3}
    param_grid: ClassVar[list[dict[str, Any]]] = [{"dim": 64, **forced}]


class DriftrecIds(DriftrecTracker):
    """The same tracker with item vectors learned from item ids alone, never from the item text:
    evaluated beside ``driftrec`` in one run, it measures what the text encoder adds."""

    name: ClassVar[str] = "driftrec-ids"
    uses_text: ClassVar[bool] = False

    def _aligned_text(self, catalog: EvalCatalog) -> np.ndarray | None:
        return None


def _sequences(histories: Histories) -> Sequences:
    return Sequences(histories.offsets, histories.items, histories.ratings)


def _train_sequences(train: pd.DataFrame) -> Sequences:
    return Sequences.from_grouped(train["user_id"].to_numpy(), train["item"].to_numpy(), train["rating"].to_numpy())


def _ndcg_callback(validation: ValidationData, scorer):
    histories = validation.histories
    targets = np.asarray(validation.targets)

    def validate(model) -> float:
        lists = top_k(scorer(model, histories), 10, histories.row_of_entry, histories.items)
        return ndcg(target_ranks(lists, targets), 10)

    return validate


def use_text_encoder(settings: "Settings", progress: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Give the tracker the product index's item vectors of ``settings.dataset`` (indexing it if needed).

    Their text holds the tags of the release's whole tags file; the evaluation uses
    :func:`evaluation.item_text.use_eval_text`, which leaves out tags written at or after a user's
    held-out interactions, and falls back to this where the release has no tags.
    """
    from retrieval.store import MovieIndex

    index = MovieIndex(settings)
    if not index.exists():
        index.build(progress=progress)
    DriftrecTracker.text_vectors = index.item_matrix()
    return DriftrecTracker.text_vectors

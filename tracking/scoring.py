"""Exact full-catalog scoring of a profile, with the score breakdown every recommendation carries.

Inference is numpy only: the trained model is exported once to :class:`ScoringTables` (an ``.npz``),
so recommending needs no torch and starts fast. Scores are

    log P(i | u, feedback) = (w_i · v_u) / τ + Σ_f θ_f x_f(i) − log Z

over every catalog movie the user has not seen and no hard rule excludes.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from retrieval.fileio import atomic_write
from tracking.feedback import FeedbackState
from tracking.model import N_RATING_BUCKETS, InterestModel, rating_bucket
from retrieval.movielens import Catalog
from tracking.model import Sequences
from tracking.profile import InterestProfile, profile_from_interactions

PRIOR_MODEL_SD = 1.0
"""Spread of the softmax prior's logit for a user with no history; shrinks as 1/sqrt(1 + n)."""
SHIFT_WINDOW = 5
"""The latest movies compared with the whole history to detect a change of taste."""
SHIFT_MARGIN = 0.25
"""Genre-share excess below which recent movies count as ordinary variety, not a change of taste."""


@dataclass(frozen=True)
class ScoringTables:
    """The trained interest model as plain arrays, rows in ``movie_ids`` order (ascending)."""

    movie_ids: np.ndarray
    item_vectors: np.ndarray  # (n, dim + 1): w_i with the bias as last coordinate
    long_in: np.ndarray  # (n, dim)
    short_in: np.ndarray  # (n, dim)
    position_weights: np.ndarray  # (window,), index 0 = the latest movie
    rating_weights: np.ndarray  # (N_RATING_BUCKETS,)
    temperature: float
    shift_weight: float = 0.0  # logits per unit of genre shift (chosen on validation by `train`)
    short_weight: float = 1.0  # scale of the short-term part; 1 as trained (see evaluation.tradeoff)

    @property
    def window(self) -> int:
        return len(self.position_weights)

    @property
    def dim(self) -> int:
        return self.long_in.shape[1]

    @classmethod
    def from_model(cls, model: InterestModel, movie_ids: np.ndarray) -> "ScoringTables":
        import torch

        with torch.no_grad():
            every = torch.arange(model.n_items)
            return cls(
                movie_ids=np.asarray(movie_ids, dtype=np.int64),
                item_vectors=model.item_vectors().numpy().astype(np.float32),
                long_in=model.input_vectors("long", every).numpy().astype(np.float32),
                short_in=model.input_vectors("short", every).numpy().astype(np.float32),
                position_weights=torch.exp(model.position_logit).numpy().astype(np.float32),
                rating_weights=model.rating_weight.numpy().astype(np.float32),
                temperature=float(torch.exp(model.log_temperature)),
            )

    def save(self, path: Path) -> None:
        arrays = {name: getattr(self, name) for name in self.__dataclass_fields__}
        atomic_write(path, lambda handle: np.savez(handle, **arrays))

    @classmethod
    def load(cls, path: Path) -> "ScoringTables":
        with np.load(path) as stored:
            fields = {name: stored[name] for name in cls.__dataclass_fields__ if name in stored}
        fields["temperature"] = float(fields["temperature"])
        fields["shift_weight"] = float(fields.get("shift_weight", 0.0))
        fields["short_weight"] = float(fields.get("short_weight", 1.0))
        return cls(**fields)

    def positions(self, movie_ids) -> np.ndarray:
        """Row of each movie id (the caller has checked they exist)."""
        return np.searchsorted(self.movie_ids, np.asarray(movie_ids, dtype=np.int64))


@dataclass(frozen=True)
class CatalogFeatures:
    """What feedback facets look at: genres and years per movie, aligned with the tables' rows."""

    genre_vocabulary: list[str]
    genres: np.ndarray  # (n, n_genres) bool
    years: np.ndarray  # (n,) float, NaN when unknown
    unit_vectors: np.ndarray  # (n, dim) normalised w_i without bias, for movie-similarity facets

    @classmethod
    def build(cls, catalog: Catalog, tables: ScoringTables) -> "CatalogFeatures":
        """Features of ``catalog``'s movies in the tables' row order."""
        rows = catalog.position[tables.movie_ids].to_numpy()
        genres = catalog.genre_matrix()[rows] > 0
        years = catalog.movies["year"].iloc[rows].astype("Float64").to_numpy(dtype=np.float64, na_value=math.nan)
        vectors = tables.item_vectors[:, :-1]
        unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return cls(list(catalog.genre_vocabulary), genres, years, unit.astype(np.float32))

    @cached_property
    def genre_shares(self) -> np.ndarray:
        """Each movie's genres as a distribution (rows sum to 1; 0 for a movie without genres)."""
        genres = self.genres.astype(np.float32)
        return genres / np.maximum(genres.sum(axis=1, keepdims=True), 1.0)

    def facet_values(self, facet: str, tables: ScoringTables) -> np.ndarray:
        """x_f(i) for every movie: genre membership, year range membership or similarity to a movie."""
        kind, _, value = facet.partition(":")
        if kind == "genre":
            if value not in self.genre_vocabulary:
                return np.zeros(len(self.years), dtype=np.float32)
            return self.genres[:, self.genre_vocabulary.index(value)].astype(np.float32)
        if kind in ("years", "decade"):
            first, _, last = value.partition("-")
            low, high = float(first), float(last or first)
            return ((self.years >= low) & (self.years <= high)).astype(np.float32)
        if kind == "movie":
            row = tables.positions([int(value)])[0]
            return np.clip(self.unit_vectors @ self.unit_vectors[row], 0.0, None)
        raise ValueError(f"unknown feedback facet {facet!r}")


@dataclass(frozen=True)
class Interest:
    """v_u in its two parts, and what they were made of (for breakdowns)."""

    long_vector: np.ndarray
    short_vector: np.ndarray
    history_rows: np.ndarray
    history_counts: np.ndarray
    history_weights: np.ndarray  # each history movie's share of the long-term mean
    recent_rows: np.ndarray  # latest first
    recent_weights: np.ndarray

    @property
    def vector(self) -> np.ndarray:
        return self.long_vector + self.short_vector


def interest_of(profile: InterestProfile, tables: ScoringTables) -> Interest:
    """long_u and short_u of ``profile`` (no catalog-wide work: cheap enough for every event)."""
    dim = tables.dim
    history_ids = np.fromiter(profile.counts.keys(), dtype=np.int64, count=len(profile.counts))
    history_counts = np.fromiter(profile.counts.values(), dtype=np.float32, count=len(profile.counts))
    history_rows = tables.positions(history_ids)
    weights = history_counts / max(profile.interactions, 1)
    long_vector = weights @ tables.long_in[history_rows] if len(history_rows) else np.zeros(dim, np.float32)
    recent = profile.recent[::-1][: tables.window]  # latest first, as the model was trained
    recent_rows = tables.positions([m for m, _ in recent]) if recent else np.zeros(0, dtype=np.int64)
    buckets = rating_bucket(np.array([r for _, r in recent], dtype=np.float64))
    recent_weights = tables.short_weight * tables.position_weights[: len(recent)] * tables.rating_weights[buckets]
    short_vector = recent_weights @ tables.short_in[recent_rows] if len(recent) else np.zeros(dim, np.float32)
    return Interest(long_vector, short_vector, history_rows, history_counts, weights, recent_rows, recent_weights)


@dataclass
class Scored:
    """Scores of every catalog movie for one profile; per-part figures are computed for shown rows only."""

    interest: Interest
    prior_logit: np.ndarray  # w_i · v_u / τ + shift(i), every movie
    shift_part: np.ndarray
    shift_genres: dict[str, float]
    feedback_part: np.ndarray
    feedback_terms: dict[str, np.ndarray]
    feedback_var: np.ndarray
    allowed: np.ndarray
    prior_var: float

    @cached_property
    def posterior_logit(self) -> np.ndarray:
        return np.where(self.allowed, self.prior_logit + self.feedback_part, -np.inf)

    @cached_property
    def log_normalisers(self) -> tuple[float, float]:
        """log Z of the prior and of the posterior, over the allowed movies."""
        return _log_z(self.prior_logit[self.allowed]), _log_z(self.posterior_logit[self.allowed])

    def restrict(self, mask: np.ndarray) -> "Scored":
        """The same scores with fewer movies allowed (per-request filters)."""
        return dataclasses.replace(self, allowed=self.allowed & mask)

    def top(self, k: int, movie_ids: np.ndarray, explore: np.random.Generator | None = None) -> np.ndarray:
        """Rows of the k best allowed movies, best first; ties by movie id. ``explore`` samples
        the feedback beliefs and prior (Thompson sampling) instead of taking their means."""
        logit = self.posterior_logit
        if explore is not None:
            spread = np.sqrt(self.feedback_var + self.prior_var)
            logit = logit + explore.standard_normal(len(logit)).astype(np.float32) * spread
        k = min(k, int(self.allowed.sum()))
        if k <= 0:
            return np.zeros(0, dtype=np.int64)
        candidates = np.argpartition(-logit, k - 1)[:k] if k < len(logit) else np.arange(len(logit))
        order = np.lexsort((movie_ids[candidates], -logit[candidates]))
        return candidates[order]


def _log_z(logit: np.ndarray) -> float:
    if not len(logit):
        return 0.0
    peak = float(logit.max())
    return peak + math.log(float(np.exp(logit - peak).sum()))


def score_profile(profile: InterestProfile, tables: ScoringTables, features: CatalogFeatures) -> Scored:
    """Score every catalog movie for ``profile`` (exact, full catalog, one pass over the item matrix)."""
    interest = interest_of(profile, tables)
    query = np.append(interest.vector, 1.0).astype(np.float32) / np.float32(tables.temperature)
    shift_part, shift_genres = _genre_shift(profile, interest.history_rows, interest.history_counts, tables, features)
    prior = tables.item_vectors @ query
    if shift_genres:
        prior += shift_part
    feedback_part, feedback_var, terms = _feedback(profile.feedback, tables, features)
    allowed = _rule_mask(profile.feedback, tables, features)
    allowed[interest.history_rows] = False
    return Scored(
        interest=interest,
        prior_logit=prior,
        shift_part=shift_part,
        shift_genres=shift_genres,
        feedback_part=feedback_part,
        feedback_terms=terms,
        feedback_var=feedback_var,
        allowed=allowed,
        prior_var=PRIOR_MODEL_SD**2 / (1.0 + profile.interactions),
    )


def _genre_shift(
    profile: InterestProfile, history_rows: np.ndarray, history_counts: np.ndarray, tables: ScoringTables, features: CatalogFeatures
) -> tuple[np.ndarray, dict[str, float]]:
    """How far the latest movies' genres run ahead of the whole history's, as a boost for those genres.

    shift_g = max(0, share of g among the last SHIFT_WINDOW movies − share of g over the history
                  − SHIFT_MARGIN);
    a movie gains ``shift_weight`` × the mean shift over its genres. A user who suddenly watches
    documentaries sees documentaries at once; when they return to their usual genres the term
    vanishes and the long-term part brings the old list back.
    """
    n = len(tables.movie_ids)
    if tables.shift_weight == 0.0 or not profile.recent or not len(history_rows):
        return np.zeros(n, dtype=np.float32), {}
    per_movie = features.genre_shares
    long_share = history_counts @ per_movie[history_rows] / max(history_counts.sum(), 1.0)
    recent_rows = tables.positions([m for m, _ in profile.recent[-SHIFT_WINDOW:]])
    recent_share = per_movie[recent_rows].mean(axis=0)
    shift = np.clip(recent_share - long_share - SHIFT_MARGIN, 0.0, None)
    active = {features.genre_vocabulary[g]: round(float(shift[g]), 4) for g in np.flatnonzero(shift > 0)}
    if not active:
        return np.zeros(n, dtype=np.float32), {}
    return (tables.shift_weight * (per_movie @ shift)).astype(np.float32), active


def _feedback(feedback: FeedbackState, tables: ScoringTables, features: CatalogFeatures):
    n = len(tables.movie_ids)
    total = np.zeros(n, dtype=np.float32)
    var = np.zeros(n, dtype=np.float32)
    terms: dict[str, np.ndarray] = {}
    for facet, belief in feedback.active_beliefs().items():
        x = features.facet_values(facet, tables)
        terms[facet] = (belief.mean * x).astype(np.float32)
        total += terms[facet]
        var += (belief.var * x * x).astype(np.float32)
    return total, var, terms


def _rule_mask(feedback: FeedbackState, tables: ScoringTables, features: CatalogFeatures) -> np.ndarray:
    allowed = np.ones(len(tables.movie_ids), dtype=bool)
    for facet, sign in feedback.rules.items():
        member = features.facet_values(facet, tables) > 0
        allowed &= ~member if sign < 0 else member
    if feedback.excluded:
        excluded = np.fromiter(feedback.excluded, dtype=np.int64, count=len(feedback.excluded))
        allowed &= ~np.isin(tables.movie_ids, excluded)
    return allowed


def breakdowns(scored: Scored, rows: np.ndarray, tables: ScoringTables, top_history: int = 3) -> list[dict]:
    """Why each movie in ``rows`` scored as it did: every additive part, and the history movies behind it."""
    rows = np.asarray(rows, dtype=np.int64)
    if not len(rows):
        return []
    dim, tau = tables.dim, tables.temperature
    interest = scored.interest
    w = tables.item_vectors[rows, :dim]  # (k, dim)
    # Contribution of each history movie to each shown movie: long part plus its short-term slots.
    per_history = (interest.history_weights[:, None] * (tables.long_in[interest.history_rows] @ w.T)) / tau
    if len(interest.recent_rows):
        slot = _index_in(interest.history_rows, interest.recent_rows)
        short_each = interest.recent_weights[:, None] * (tables.short_in[interest.recent_rows] @ w.T) / tau
        np.add.at(per_history, slot, short_each)
    long_part = w @ interest.long_vector / tau
    short_part = w @ interest.short_vector / tau
    log_z_prior, log_z_posterior = scored.log_normalisers
    cards = []
    for column, row in enumerate(rows.tolist()):
        contributions = per_history[:, column]
        best = np.argsort(-contributions)[:top_history] if len(contributions) else np.zeros(0, dtype=np.int64)
        feedback = {f: float(v[row]) for f, v in scored.feedback_terms.items() if abs(v[row]) > 1e-6}
        allowed = bool(scored.allowed[row])
        cards.append({
            "movie_id": int(tables.movie_ids[row]),
            "prior_probability": math.exp(scored.prior_logit[row] - log_z_prior) if allowed else 0.0,
            "posterior_probability": math.exp(scored.posterior_logit[row] - log_z_posterior) if allowed else 0.0,
            "prior_logit": float(scored.prior_logit[row]),
            "long_term": float(long_part[column]),
            "short_term": float(short_part[column]),
            "popularity": float(tables.item_vectors[row, dim] / tau),
            "recent_shift": float(scored.shift_part[row]),
            "shift_genres": dict(scored.shift_genres),
            "feedback": feedback,
            "feedback_total": float(scored.feedback_part[row]),
            "posterior_logit": float(scored.prior_logit[row] + scored.feedback_part[row]),
            "uncertainty": math.sqrt(float(scored.feedback_var[row]) + scored.prior_var),
            "history": [
                {"movie_id": int(tables.movie_ids[interest.history_rows[i]]), "contribution": float(contributions[i])}
                for i in best.tolist() if contributions[i] > 0
            ],
        })
    return cards


def _index_in(haystack: np.ndarray, needles: np.ndarray) -> np.ndarray:
    """Position in ``haystack`` of each of ``needles`` (all present)."""
    order = np.argsort(haystack, kind="stable")
    return order[np.searchsorted(haystack, needles, sorter=order)]


def score_histories(tables: ScoringTables, features: CatalogFeatures, sequences: Sequences) -> np.ndarray:
    """Prior logits (users × movies) of many plain histories (rows of tables), through :func:`score_profile`.

    The same path as a live recommendation, one profile at a time, so evaluation measures the product.
    """
    out = np.empty((len(sequences), len(tables.movie_ids)), dtype=np.float32)
    for row, (start, end) in enumerate(zip(sequences.offsets[:-1].tolist(), sequences.offsets[1:].tolist())):
        ids = tables.movie_ids[sequences.items[start:end]]
        profile = profile_from_interactions(ids, sequences.ratings[start:end], tables.window)
        out[row] = score_profile(profile, tables, features).prior_logit
    return out

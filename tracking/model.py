"""The interest model: item vectors w_i, the user's interest vector v_u, and the softmax between them.

    P(i | u) = exp(w_i · v_u / τ) / Σ_j exp(w_j · v_u / τ)

* w_i = text_i P_out + e_i: the text encoder's vector of movie i projected to ``dim``, refined by a
  learned per-movie offset e_i, plus a popularity bias (carried as the last coordinate, so the
  formula stays a plain dot product).
* v_u = long_u + short_u:
    - long_u, what lasts: the mean of the long-term input vectors of every movie in the history;
    - short_u, where the user is now: a weighted sum over the last ``window`` movies, with one
      learned weight per recency position and one per rating value (a 1-star rating can push away).
  Both parts are sums over events, so a new event updates them in O(dim) (real time) and a rebuild
  from the event log folds the same events to the same numbers.

Training is next-interaction prediction with the full-softmax cross-entropy of the same formula,
every position of every training sequence a sample, the user's other training movies masked out of
the denominator (they are not negatives: the user did watch them), early stopping on a validation
callback. Small enough to read top to bottom; CPU minutes on MovieLens.

For large catalogs the denominator is estimated (sampled softmax): each batch shares ``negatives``
movies drawn by popularity, each drawn logit corrected by log(expected count) (the logQ correction
of Jean et al. 2015; Yi et al. 2019), so the draws estimate the denominator's other movies; the
target, in its row's denominator always and not drawn, keeps its plain logit as in the full softmax
(Khrylchenko et al. 2025; ``correct_target=True`` corrects it too, the common form).
``softmax="auto"`` samples only where the catalog is larger than :data:`FULL_SOFTMAX_MAX_ITEMS`; the
scoring model is the same either way.
"""

from __future__ import annotations

import math
import time
import warnings
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Annotated, Any, Callable, Literal

import numpy as np
import torch
from pydantic import BaseModel, Field
from scipy import sparse
from torch import nn
from tqdm import tqdm

from retrieval.fileio import atomic_write
from retrieval.movielens import user_offsets
from tracking.full_softmax import full_softmax_loss
from tracking.sampled_softmax import sampled_softmax_loss

N_RATING_BUCKETS = 11  # ratings 0, 0.5, ..., 5 in half stars; bucket 0 also stands for "no rating"
FULL_SOFTMAX_MAX_ITEMS = 20_000
"""``softmax="auto"`` uses the full softmax up to this many movies (ml-latest-small has 9,742,
ml-25m 62,423), the sampled one above."""
AUTO_HISTORY_SAMPLE = 128
"""``history_sample="auto"``: movies drawn for a training row's long-term mean where the sampled
softmax is chosen for a large catalog (ml-25m's long histories made that mean half an epoch)."""
PREFIX_TEXT_MAX_BYTES = 512 * 2**20
"""Training the sampled softmax with exact long-term means looks each row's mean text vector up in a
table computed once (:func:`prefix_text_means`) where the table fits in this many bytes
(ml-latest-small's: 153 MB); a sparse product per batch otherwise. The full softmax needs no table:
it folds the text into the input tables (:meth:`InterestModel._folded_interest`)."""
FLOOR_PROBE_EVERY = 20
"""Batches between two timings of the logits GEMMs alone (:class:`LogitsGemmProbe`): about 2 % more
wall time on ml-latest-small, not counted in the loop's own time."""
AUTO_TEXT_WIDTH = 128
"""``text_width="auto"``: the text vectors' leading components kept where the sampled softmax is chosen
for a large catalog (gathering 384-wide text rows for every window slot, history draw and scored movie
was a quarter of an ml-25m batch). On ml-latest-small, forced, 128 kept NDCG@10 (0.0681 against 0.0679
with all 384) where 64 lost 8 % (0.0622): docs/results/sampled-softmax.md."""
DEFAULT_BATCH_SIZE = 1024
"""Rows per batch where the full softmax fits. Projecting the text table into the item vectors and back
costs the same whatever the rows (half the logits GEMMs' own work at 512 rows), so 1,024-row batches
reach 29–31 % of the GEMM floor on ml-100k where 512 reached 25 % (one thread). Measured under the
protocol, 3 seeds, against 512 rows at 2e-3 (``--models driftrec,driftrec-batch512``,
docs/results/batch-size.md): NDCG@10 ml-100k 0.1338 against 0.1329, ml-latest-small 0.0688 against 0.0635."""
AUTO_BATCH_SIZE = 2048
"""``batch_size="auto"``: rows per batch where the sampled softmax is chosen for a large catalog.
Every step of the fused optimiser passes over the whole 62k-row tables, and each batch's gradient
of them is a dense table: both cost the same whatever the rows, so fewer, larger batches spend less
on them per epoch."""
DEFAULT_LR = 2.83e-3
"""Adam's rate for :data:`DEFAULT_BATCH_SIZE` rows: 2e-3, the rate tuned for 512-row batches, scaled by √2."""
AUTO_LR = 4e-3
"""``lr="auto"`` with the larger batches: 2e-3 scaled by √(2048 / 512), a quarter of the steps
each twice as long (√(2048 / 1024) from :data:`DEFAULT_LR`). At 2e-3 the 2,048-row batches lost 9 % NDCG@10 on ml-100k and won 6 % on
ml-latest-small; at 4e-3 they are within 2 % of 512-row batches on both (docs/results/sampled-softmax.md)."""


def large_catalog(n_items: int) -> bool:
    """Whether ``n_items`` movies are too many for the full softmax: where every ``"auto"`` setting
    takes its large-catalog value."""
    return n_items > FULL_SOFTMAX_MAX_ITEMS


class TrackerConfig(BaseModel):
    """Hyper-parameters of the interest model and its training."""

    dim: int = Field(128, ge=4, description="Size of the learned interest space.")
    window: int = Field(20, ge=1, description="Recent movies that make up the short-term part.")
    dropout: float = Field(0.2, ge=0.0, lt=1.0)
    epochs: int = Field(40, ge=1)
    batch_size: Literal["auto"] | Annotated[int, Field(ge=8)] = Field(
        "auto", description=f"Training rows per batch; auto: {AUTO_BATCH_SIZE} where the catalog is large enough "
                            f"for the sampled softmax, else {DEFAULT_BATCH_SIZE}.")
    lr: Literal["auto"] | Annotated[float, Field(gt=0)] = Field(
        "auto", description=f"Adam's learning rate; auto: {DEFAULT_LR} for {DEFAULT_BATCH_SIZE}-row batches, "
                            f"{AUTO_LR} where batch_size 'auto' takes {AUTO_BATCH_SIZE} rows.")
    weight_decay: float = Field(0.0, ge=0)
    patience: int = Field(3, ge=1, description="Validation checks without improvement before stopping.")
    max_positions_per_user: int | None = Field(
        None, ge=1, description="Train on at most this many latest positions per user (None: all)."
    )
    softmax: Literal["auto", "full", "sampled"] = Field(
        "auto", description="full: every movie in the denominator; sampled: popularity-sampled negatives with logQ correction.")
    negatives: int = Field(2048, ge=1, description="Sampled negatives per batch (sampled softmax).")
    correct_target: bool = Field(
        False, description="Sampled softmax: subtract log(expected count) from the target's logit too, as from the "
                           "drawn negatives' (the common logQ correction). False: the target, always in its row's "
                           "denominator, keeps its plain logit (docs/results/sampled-softmax.md).")
    history_sample: Literal["auto"] | Annotated[int, Field(ge=0)] = Field(
        "auto", description="Training only: a row's long-term mean is estimated from this many movies drawn from "
                            "its history (with replacement: unbiased) when the history is longer; 0: the exact mean; "
                            f"auto: {AUTO_HISTORY_SAMPLE} where the catalog is large enough for the sampled softmax, "
                            "else exact. Recommendations always use the exact mean.")
    text_width: Literal["auto"] | Annotated[int, Field(ge=0)] = Field(
        "auto", description="Keep this many leading principal directions of the text vectors (their best "
                            "approximation of that rank); 0: the whole vectors; auto: "
                            f"{AUTO_TEXT_WIDTH} where the catalog is large enough for the sampled softmax, else 0.")
    seed: int = 0

    def lr_for(self, n_items: int) -> float:
        """Adam's learning rate when training on ``n_items`` movies."""
        if self.lr != "auto":
            return self.lr
        return AUTO_LR if self.batch_size == "auto" and large_catalog(n_items) else DEFAULT_LR

    def batch_size_for(self, n_items: int) -> int:
        """Training rows per batch over ``n_items`` movies."""
        if self.batch_size != "auto":
            return self.batch_size
        return AUTO_BATCH_SIZE if large_catalog(n_items) else DEFAULT_BATCH_SIZE

    def text_width_for(self, n_items: int, width: int) -> int:
        """Text coordinates the model takes from ``width``-wide vectors over ``n_items`` movies."""
        wanted = self.text_width if self.text_width != "auto" else (
            AUTO_TEXT_WIDTH if large_catalog(n_items) else 0)
        return min(wanted, width) if wanted else width

    def sampled_for(self, n_items: int) -> bool:
        """Whether training on ``n_items`` movies uses the sampled softmax."""
        return self.softmax == "sampled" or (self.softmax == "auto" and large_catalog(n_items))

    def logits_columns(self, n_items: int) -> int:
        """Columns of a batch's logits GEMMs over ``n_items`` movies: the catalog for the full softmax,
        the shared negatives for the sampled one (a row's own target is a row-wise dot)."""
        return self.negatives if self.sampled_for(n_items) else n_items

    def history_sample_for(self, n_items: int) -> int | None:
        """Movies drawn per training row for its long-term mean (None: every movie of the history)."""
        if self.history_sample == "auto":
            return AUTO_HISTORY_SAMPLE if large_catalog(n_items) else None
        return self.history_sample or None


def leading_components(vectors: np.ndarray, width: int) -> np.ndarray:
    """``vectors`` in the basis of their ``width`` leading right-singular directions: the coordinates
    of their best rank-``width`` approximation (uncentred, so the mean direction is kept). Unchanged
    when ``width`` is their whole width.

    The directions come from the eigenvectors of the small (width × width) Gram matrix, signs fixed
    (largest coordinate positive) so that the same vectors always give the same coordinates.
    """
    if width >= vectors.shape[1]:
        return vectors
    vectors = np.asarray(vectors, dtype=np.float64)
    _, eigenvectors = np.linalg.eigh(vectors.T @ vectors)  # ascending eigenvalues
    basis = eigenvectors[:, ::-1][:, :width]
    basis *= np.sign(basis[np.abs(basis).argmax(axis=0), np.arange(width)])
    return (vectors @ basis).astype(np.float32)


def rating_bucket(ratings: np.ndarray) -> np.ndarray:
    """Half-star bucket 0..10 of each rating; NaN (no rating, e.g. a plain watch) goes to bucket 0."""
    buckets = np.rint(np.nan_to_num(np.asarray(ratings, dtype=np.float64), nan=0.0) * 2)
    return np.clip(buckets, 0, N_RATING_BUCKETS - 1).astype(np.int64)


@dataclass(frozen=True)
class Sequences:
    """Users' interaction sequences, CSR-style: row r is ``items[offsets[r]:offsets[r+1]]``, oldest first."""

    offsets: np.ndarray
    items: np.ndarray
    ratings: np.ndarray

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @property
    def lengths(self) -> np.ndarray:
        return np.diff(self.offsets)

    def seen(self, n_items: int) -> sparse.csr_matrix:
        """Boolean (users × n_items) CSR: the movies of each user's sequence (what training leaves out of
        that user's denominator)."""
        return sparse.csr_matrix((np.ones(len(self.items), dtype=bool), (np.repeat(np.arange(len(self)), self.lengths),
                                                                         self.items)), shape=(len(self), n_items))

    @classmethod
    def from_grouped(cls, users: np.ndarray, items: np.ndarray, ratings: np.ndarray) -> "Sequences":
        """Sequences from rows already grouped by user (each user's rows contiguous, in time order)."""
        return cls(user_offsets(users), np.asarray(items, dtype=np.int64), np.asarray(ratings, dtype=np.float32))


class InterestModel(nn.Module):
    """Item vectors, the interest-vector encoder and the softmax scorer (see the module docstring)."""

    def __init__(self, n_items: int, text_vectors: np.ndarray | None, config: TrackerConfig) -> None:
        super().__init__()
        self.n_items = n_items
        self.config = config
        dim = config.dim
        pad = n_items  # index of the all-zero "no movie" row in the short-term window
        self.long_in = nn.Embedding(n_items + 1, dim, padding_idx=pad)
        self.short_in = nn.Embedding(n_items + 1, dim, padding_idx=pad)
        self.item_out = nn.Embedding(n_items, dim)
        self.item_bias = nn.Parameter(torch.zeros(n_items))
        for table in (self.long_in, self.short_in, self.item_out):
            nn.init.normal_(table.weight, std=0.05)
            with torch.no_grad():
                if table.padding_idx is not None:
                    table.weight[table.padding_idx].zero_()
        if text_vectors is not None:
            width = config.text_width_for(n_items, text_vectors.shape[1])
            text = torch.as_tensor(leading_components(text_vectors, width), dtype=torch.float32)
            self.register_buffer("text", torch.cat([text, torch.zeros(1, text.shape[1])]))
            self.text_in = nn.Linear(text.shape[1], dim, bias=False)
            self.text_out = nn.Linear(text.shape[1], dim, bias=False)
        else:
            self.register_buffer("text", torch.zeros(n_items + 1, 0))
            self.text_in = self.text_out = None
        # Recency weights start geometric (the latest movie counts most); rating weights start at 1.
        self.position_logit = nn.Parameter(torch.log(0.8 ** torch.arange(config.window, dtype=torch.float32)))
        self.rating_weight = nn.Parameter(torch.ones(N_RATING_BUCKETS))
        self.log_temperature = nn.Parameter(torch.zeros(()))
        self.dropout = nn.Dropout(config.dropout)

    # --- the two halves of the dot product ---------------------------------------------------------

    def input_vectors(self, which: str, items: torch.Tensor) -> torch.Tensor:
        """Long- or short-term input vectors of ``items`` (padding index gives zeros)."""
        table = self.long_in if which == "long" else self.short_in
        vectors = table(items)
        if self.text_in is not None:
            vectors = vectors + self.text_in(self.text[items]) * (items != self.n_items).unsqueeze(-1)
        return vectors

    def item_vectors(self, items: torch.Tensor | None = None) -> torch.Tensor:
        """w_i for every movie (or only ``items``), shape (n, dim + 1); the last coordinate carries the bias."""
        if items is None:
            vectors, text, bias = self.item_out.weight, self.text[: self.n_items], self.item_bias
        else:
            vectors, text, bias = self.item_out(items), self.text[items], self.item_bias[items]
        if self.text_out is not None:
            vectors = vectors + self.text_out(text)
        return torch.cat([vectors, bias.unsqueeze(1)], dim=1)

    def long_term(self, history: torch.Tensor, history_text: torch.Tensor | None = None,
                  history_t: torch.Tensor | None = None) -> torch.Tensor:
        """long_u from a (users × n_items) sparse matrix whose rows average each user's history.

        The mean of (e_i + text_i P) is mean(e_i) + mean(text_i) P: projecting the users' mean text
        costs users × text width × dim, projecting the whole catalog (as a lookup would) n_items × ...
        ``history_text``: those mean text vectors when already known (training rows, looked up in
        :func:`prefix_text_means`), instead of the product of ``history`` with the text table.
        ``history_t``: the transpose of ``history`` with the padding row, (n_items + 1) × users, for a
        backward without torch's sort (training; see :func:`prefix_mean_matrices`).
        """
        vectors = self._history_product(history, self.long_in.weight, history_t)
        if self.text_in is None:
            return vectors
        mean_text = history_text if history_text is not None else self._history_product(history, self.text)
        return vectors + self.text_in(mean_text)

    def short_term(self, window_items: torch.Tensor, window_ratings: torch.Tensor) -> torch.Tensor:
        """short_u from the last ``window`` movies (column 0 = the latest) and their rating buckets."""
        bag = self._window_bag(window_items, window_ratings)
        vectors = bag(self.short_in.weight)
        if self.text_in is None:
            return vectors
        # Σ w (text P) = (Σ w text) P: one projection per row instead of one per window slot
        return vectors + self.text_in(bag(self.text))

    def _history_product(self, history: torch.Tensor, table: torch.Tensor,
                         history_t: torch.Tensor | None = None) -> torch.Tensor:
        """``history @ table`` for a table with the padding row (see :meth:`long_term`)."""
        # one column more (the padding row's, never used): the product takes the whole table, whose
        # gradient is then the product's own instead of a zero-filled copy around a slice's
        # (a 62k-row table's fill and copy were a tenth of an ml-25m batch)
        history = torch.sparse_csr_tensor(history.crow_indices(), history.col_indices(), history.values(),
                                          size=(history.shape[0], self.n_items + 1), check_invariants=False)
        if history_t is not None:
            return _MeanProduct.apply(history, history_t, table)
        return torch.sparse.mm(history, table)

    def _window_bag(self, window_items: torch.Tensor, window_ratings: torch.Tensor) -> Callable[[torch.Tensor], torch.Tensor]:
        """The weighted sum of a table's window rows, by recency and rating (see :meth:`short_term`)."""
        weights = torch.exp(self.position_logit)[: window_items.shape[1]] * self.rating_weight[window_ratings]
        # a weighted bag: the weighted sum without materialising the (rows × window × width) gather
        # that indexing makes (with the text's 384 columns, that gather and its batched product were
        # 4x the bag's time on ml-100k batches, forward and backward)
        return partial(nn.functional.embedding_bag, window_items, per_sample_weights=weights, mode="sum",
                       padding_idx=self.n_items)

    def _folded_interest(self, history: torch.Tensor, history_t: torch.Tensor | None, window_items: torch.Tensor,
                         window_ratings: torch.Tensor) -> torch.Tensor:
        """long_u + short_u, the same numbers as :meth:`long_term` + :meth:`short_term`, with every
        movie's text projected once into both input tables (e_i + text_i P) instead of projecting
        each row's mean and window text: a catalog × text width × dim product instead of six
        rows × text width × dim ones, and the window's 384-wide gathers become 64-wide ones (a fifth
        of an ml-100k batch). Training with the full softmax, whose item vectors already project the
        whole catalog's text every batch."""
        long_table, short_table = self.long_in.weight, self.short_in.weight
        if self.text_in is not None:
            projected = self.text_in(self.text)  # its padding row stays zero: zero text, no bias
            long_table, short_table = long_table + projected, short_table + projected
        return (self._history_product(history, long_table, history_t)
                + self._window_bag(window_items, window_ratings)(short_table))

    def interest(self, long_part: torch.Tensor, short_part: torch.Tensor) -> torch.Tensor:
        """v_u = long_u + short_u, with a constant 1 appended so that w_i · v_u includes the bias."""
        return self._with_bias(long_part + short_part)

    def _with_bias(self, combined: torch.Tensor) -> torch.Tensor:
        """v_u from long_u + short_u (see :meth:`interest`)."""
        combined = self.dropout(combined)
        ones = torch.ones(combined.shape[0], 1, device=combined.device)
        return torch.cat([combined, ones], dim=1)

    def logits(self, interest: torch.Tensor, items: torch.Tensor | None = None) -> torch.Tensor:
        """w_i · v_u / τ for every movie (or the given ones)."""
        return self.tempered(interest) @ self.item_vectors(items).T

    def tempered(self, interest: torch.Tensor) -> torch.Tensor:
        """v_u / τ: τ scales the small side (users × dim), not the logits (users × movies), the same
        numbers without an elementwise pass (and its backward) over every logit."""
        return interest / torch.exp(self.log_temperature)

    def forward(self, history: torch.Tensor, window_items: torch.Tensor, window_ratings: torch.Tensor,
                targets: torch.Tensor, own: torch.Tensor, drawn: torch.Tensor | None = None,
                log_expected: torch.Tensor | None = None, history_text: torch.Tensor | None = None,
                history_t: torch.Tensor | None = None) -> torch.Tensor:
        """The training loss of one batch (one call, so that data-parallel wrappers see every parameter).

        Args:
            history, window_items, window_ratings: The inputs of :meth:`long_term` and :meth:`short_term`.
            targets: The next movie of each row.
            own: Movies left out of each row's denominator (the user's own): (2, k) pairs (row, movie),
                sorted by row, for the full softmax (a row's target among them stays in); (2, k) pairs
                (row, index into ``drawn``) for the sampled one (:func:`own_among_drawn`).
            drawn: Sampled negatives shared by the batch (None: full softmax).
            log_expected: What to subtract from the logits of each of ``targets`` then ``drawn``: the log of
                its expected count among the draws (logQ correction; 0 for a target that keeps its plain logit).
            history_text: Each row's mean text vector, when looked up instead of multiplied out
                (the sampled softmax; the full one folds the text into the input tables).
            history_t: The transpose of ``history`` (see :meth:`long_term`).
        """
        if drawn is None:
            interest = self._with_bias(self._folded_interest(history, history_t, window_items, window_ratings))
            return full_softmax_loss(self.tempered(interest), self.item_vectors(), targets, own)
        interest = self.interest(self.long_term(history, history_text, history_t),
                                 self.short_term(window_items, window_ratings))
        # each row needs its own target's logit only: a row-wise dot, not a (rows × rows) product
        # (the targets' columns were a fifth of the GEMMs at 512 rows and 2,048 negatives)
        tempered = self.tempered(interest)
        wanted, negatives = self.item_vectors(torch.cat([targets, drawn])).split([len(targets), len(drawn)])
        target_logit = (tempered * wanted).sum(dim=1) - log_expected[: len(targets)]
        return sampled_softmax_loss(tempered, negatives, target_logit, log_expected[len(targets):], own)


# --- turning sequences into model inputs -----------------------------------------------------------


def windows(items: np.ndarray, ratings: np.ndarray, ends: np.ndarray, starts: np.ndarray, width: int, pad: int):
    """The last ``width`` movies before each ``ends[k]`` (not before ``starts[k]``), latest first.

    Returns:
        (items, rating buckets), each of shape (len(ends), width), padded with ``pad`` / bucket 0.
    """
    back = np.arange(1, width + 1)
    index = ends[:, None] - back[None, :]
    valid = index >= starts[:, None]
    safe = np.where(valid, index, 0)
    window_items = np.where(valid, items[safe], pad)
    window_ratings = np.where(valid, rating_bucket(ratings[safe]), 0)  # only the ratings in view, not all
    return window_items, window_ratings


def prefix_mean_matrices(items: np.ndarray, starts: np.ndarray, ends: np.ndarray, n_items: int,
                         sample: int | None = None, rng: np.random.Generator | None = None
                         ) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """Row k averages the movies ``items[starts[k]:ends[k]]``: that (len(ends) × n_items) matrix in
    canonical CSR (sorted, distinct columns, as torch requires), and its transpose, also canonical.

    Each row's entries come contiguous but in time order. Two counting-sort transpositions put them
    in column order in linear time (a transpose's indices come out sorted), where sorting each row
    took 5.7 of an ml-latest-small batch's 61 ms; the backward of the long-term product multiplies
    by the transpose, which torch would otherwise build by sorting again (10 ms a batch).

    Args:
        sample: A row with a longer history averages this many of its movies drawn uniformly with
            replacement (``rng``), an unbiased estimate of its mean at a bounded cost per row.
    """
    lengths = ends - starts
    taken = lengths if sample is None else np.minimum(lengths, sample)
    position = np.arange(taken.sum()) - np.repeat(np.cumsum(taken) - taken, taken)
    if sample is not None:
        drawn = np.repeat(lengths > sample, taken)
        if drawn.any():
            if rng is None:
                raise ValueError("prefix_means: sample= needs rng= (the generator the draws come from)")
            position[drawn] = (rng.random(int(drawn.sum())) * np.repeat(lengths, taken)[drawn]).astype(np.int64)
    cols = items[np.repeat(starts, taken) + position]
    values = np.repeat(1.0 / np.maximum(taken, 1), taken).astype(np.float32)
    matrix = sparse.csr_matrix((values, cols, np.concatenate([[0], np.cumsum(taken)])), shape=(len(ends), n_items))
    transposed = matrix.T.tocsr()
    ordered = transposed.T.tocsr()
    ordered.sum_duplicates()  # linear once sorted: merges a drawn movie drawn twice
    if ordered.nnz != matrix.nnz:
        transposed = ordered.T.tocsr()
    return ordered, transposed


def torch_csr(matrix: sparse.csr_matrix, shape: tuple[int, int] | None = None) -> torch.Tensor:
    """A canonical scipy CSR matrix as a float32 torch CSR tensor (``shape``: wider, for padding)."""
    # CSR, not COO: torch multiplies CSR on every thread (COO on one), 2.3x faster on 2 cores
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Sparse CSR tensor support is in beta")
        return torch.sparse_csr_tensor(torch.as_tensor(matrix.indptr, dtype=torch.int64),
                                       torch.as_tensor(matrix.indices, dtype=torch.int64),
                                       torch.as_tensor(matrix.data), size=shape or matrix.shape, dtype=torch.float32,
                                       check_invariants=False)  # canonical: built so above


def prefix_means(items: np.ndarray, starts: np.ndarray, ends: np.ndarray, n_items: int,
                 sample: int | None = None, rng: np.random.Generator | None = None) -> torch.Tensor:
    """Sparse (len(ends) × n_items) torch matrix: row k averages ``items[starts[k]:ends[k]]``
    (see :func:`prefix_mean_matrices`)."""
    return torch_csr(prefix_mean_matrices(items, starts, ends, n_items, sample, rng)[0])


class _MeanProduct(torch.autograd.Function):
    """``history @ table`` whose backward multiplies by a transpose built beside ``history``
    (:func:`prefix_mean_matrices`) instead of the one torch builds by sorting in every backward."""

    @staticmethod
    def forward(ctx, history, history_t, table):  # type: ignore[override]
        ctx.history_t = history_t
        return torch.sparse.mm(history, table)

    @staticmethod
    def backward(ctx, grad):  # type: ignore[override]
        return None, None, torch.sparse.mm(ctx.history_t, grad)


def prefix_text_means(sequences: Sequences, text: np.ndarray, chunk_positions: int = 16_384) -> np.ndarray:
    """Row p: the mean of ``text[items[q]]`` over the user's positions q before p (zeros at a user's first).

    The text table is fixed during training, so the long-term text part of every training row can
    be computed once instead of a sparse product per batch (its gathers of 384-wide rows were a tenth
    of an ml-latest-small batch). Sums run in float64 over chunks of whole users, so a long history
    loses no precision and the temporary arrays stay small.

    Args:
        sequences: The training sequences.
        text: (n_items, width) text vectors, catalog order.
        chunk_positions: Positions summed at once (rounded up to whole users).
    """
    items, offsets = sequences.items, sequences.offsets
    out = np.zeros((len(items), text.shape[1]), dtype=np.float32)
    user_start = np.repeat(offsets[:-1], sequences.lengths)
    bounds = np.unique(np.append(offsets[np.searchsorted(offsets, np.arange(0, len(items), chunk_positions))], len(items)))
    for first, last in zip(bounds[:-1], bounds[1:]):
        running = np.zeros((last - first + 1, text.shape[1]))
        np.cumsum(text[items[first:last]], axis=0, dtype=np.float64, out=running[1:])
        local = np.arange(last - first)
        before = user_start[first:last] - first
        counts = np.maximum(local - before, 1)[:, None]
        out[first:last] = (running[local] - running[before]) / counts
    return out


def encode_histories(model: InterestModel, sequences: Sequences) -> tuple[torch.Tensor, torch.Tensor]:
    """(long_u, short_u) after each whole sequence, shape (users, dim) each."""
    ends = sequences.offsets[1:]
    starts = sequences.offsets[:-1]
    window_items, window_ratings = windows(
        sequences.items, sequences.ratings, ends, starts, model.config.window, model.n_items
    )
    device = model.item_bias.device
    long_part = model.long_term(prefix_means(sequences.items, starts, ends, model.n_items).to(device))
    short_part = model.short_term(torch.as_tensor(window_items, device=device), torch.as_tensor(window_ratings, device=device))
    return long_part, short_part


@torch.no_grad()
def score_sequences(model: InterestModel, sequences: Sequences, batch_size: int = 1024) -> np.ndarray:
    """log P(i | u) up to a per-user constant (the logits), shape (users, n_items), float32."""
    model.eval()
    out = np.empty((len(sequences), model.n_items), dtype=np.float32)
    for start in range(0, len(sequences), batch_size):
        rows = slice(start, min(start + batch_size, len(sequences)))
        part = Sequences(sequences.offsets[rows.start : rows.stop + 1], sequences.items, sequences.ratings)
        long_part, short_part = encode_histories(model, part)
        out[rows] = model.logits(model.interest(long_part, short_part)).cpu().numpy()
    return out


# --- training ----------------------------------------------------------------------------------------


@dataclass
class TrainingReport:
    epochs_run: int
    best_epoch: int
    best_validation: float
    seconds: float
    history: list[dict[str, float]]
    spent: dict[str, float]
    """Seconds of all epochs by part of the loop: batch inputs (numpy/scipy), forward, backward, optimiser."""
    resumed_after: int = 0
    """The epoch a checkpoint held when training resumed (0: started fresh)."""
    processes: int = 1
    stopped_by_budget: bool = False
    text_table_seconds: float | None = None
    """Time to compute the long-term text table before the first batch (None: no table, the sparse
    product every batch; see :data:`PREFIX_TEXT_MAX_BYTES`)."""
    batches: int = 0
    """Batches trained in this call (the ``spent`` seconds are theirs)."""
    floor_batch_seconds: float | None = None
    """One batch's logits GEMMs alone, the mean of probes taken between this call's batches
    (:class:`LogitsGemmProbe`); None when no probe was due (fewer than :data:`FLOOR_PROBE_EVERY` batches)."""


def _training_positions(sequences: Sequences, cap: int | None) -> tuple[np.ndarray, np.ndarray]:
    """(row, position) of every target: each movie after a user's first, or the latest ``cap`` of them."""
    lengths = sequences.lengths
    targets_per_row = np.maximum(lengths - 1, 0)
    if cap is not None:
        targets_per_row = np.minimum(targets_per_row, cap)
    rows = np.repeat(np.arange(len(sequences)), targets_per_row)
    from_end = np.arange(targets_per_row.sum()) - np.repeat(np.cumsum(targets_per_row) - targets_per_row, targets_per_row)
    positions = sequences.offsets[rows + 1] - 1 - from_end  # absolute index of the target in items
    return rows, positions


class LogitsGemmProbe:
    """Times one batch's logits GEMMs alone (forward and both backward products) at the batch's
    shapes: the floor a training step cannot go below, measured, not assumed.

    Why a probe taken between batches: a shared machine's GEMM rate moved from 40 to 140 GFLOP/s
    within an hour here, so a floor timed once, before or after training, compared an epoch with
    some other minute's machine. Probing every :data:`FLOOR_PROBE_EVERY` batches samples the floor
    over the same minutes as the batches it is compared with.
    """

    def __init__(self, batch: int, width: int, columns: int, device: torch.device | str = "cpu") -> None:
        self.device = torch.device(device)
        # its own generator: training's draws (dropout, negatives) stay those of a run without probes
        generator = torch.Generator(self.device).manual_seed(0)
        self.interest = torch.randn(batch, width, device=self.device, generator=generator)
        self.table = torch.randn(columns, width, device=self.device, generator=generator)
        self.grad = torch.randn(batch, columns, device=self.device, generator=generator)
        # outputs made once, so that the timing is the products alone, not the allocation of a fresh
        # (batch × columns) result
        self.out = (torch.empty(batch, columns, device=self.device), torch.empty(batch, width, device=self.device),
                    torch.empty(columns, width, device=self.device))
        self.seconds, self.probes = 0.0, 0

    def _products(self) -> None:
        torch.mm(self.interest, self.table.T, out=self.out[0])
        torch.mm(self.grad, self.table, out=self.out[1])
        torch.mm(self.grad.T, self.interest, out=self.out[2])
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)

    def probe(self, repeats: int = 1) -> float:
        """Time ``repeats`` rounds of the three products; adds them to the running mean."""
        began = time.perf_counter()
        for _ in range(repeats):
            self._products()
        elapsed = time.perf_counter() - began
        self.seconds += elapsed
        self.probes += repeats
        return elapsed / repeats

    @property
    def mean_seconds(self) -> float | None:
        """Mean seconds per batch's GEMMs over every probe so far (None: none yet)."""
        return self.seconds / self.probes if self.probes else None


def logits_gemm_seconds(batch: int, width: int, columns: int, repeats: int = 20) -> float:
    """One batch's logits GEMMs at the given shapes, timed now (``repeats`` rounds after a warm-up)."""
    probe = LogitsGemmProbe(batch, width, columns)
    for _ in range(3):
        probe._products()
    return probe.probe(repeats)


def training_threads() -> int:
    """Torch threads for training: the cores not already busy (by the load average), at least one.

    Two threads on a machine whose other core is taken run far slower than one (measured:
    87 s against 51 s per ml-latest-small epoch with two busy processes, docs/results/train-speed-loaded.md).
    """
    import os

    cores = os.cpu_count() or 1
    return max(1, min(cores, int(cores - os.getloadavg()[0] + 0.5)))


def _popularity(targets: np.ndarray, n_items: int) -> torch.Tensor:
    """The sampling distribution q of negatives: training-target counts, add-one smoothed."""
    counts = np.bincount(targets, minlength=n_items).astype(np.float64) + 1.0
    return torch.as_tensor(counts / counts.sum(), dtype=torch.float32)


def fit_interest_model(
    sequences: Sequences,
    n_items: int,
    text_vectors: np.ndarray | None,
    config: TrackerConfig,
    validate: Callable[[InterestModel], float] | None = None,
    progress: bool = True,
    checkpoint: Path | None = None,
    accelerator: Any = None,
    max_batches: int | None = None,
    time_budget_s: float | None = None,
) -> tuple[InterestModel, TrainingReport]:
    """Train on next-interaction prediction (full or sampled softmax, see :class:`TrackerConfig`).

    The loop runs through Hugging Face Accelerate: the same call trains on the CPU, one GPU, or
    several processes started by ``accelerate launch`` (data-parallel: every process draws the
    same batch order and takes its share of each batch; gradients are averaged).

    Args:
        sequences: Training sequences (catalog positions, oldest first).
        n_items: Catalog size.
        text_vectors: (n_items, text_dim) encoder vectors, or None to learn ids only.
        config: Hyper-parameters.
        validate: Called after each epoch with the model in eval mode; higher is better. Training
            stops after ``config.patience`` epochs without improvement and keeps the best weights.
        progress: Show a progress bar over every batch of every epoch, with the time left (an upper
            bound: early stopping may end sooner).
        checkpoint: A file written after every epoch (by the main process); a later call with the
            same data and settings resumes after the last epoch it holds, as if never stopped.
        accelerator: An ``accelerate.Accelerator`` (one is made when None).
        max_batches: End each epoch after this many batches (a benchmark timing part of an epoch
            of a release too large to wait for); None trains on every position.
        time_budget_s: Stop after the first epoch that ends past this many seconds (a quick first
            model; ``TrainingReport.stopped_by_budget`` says so). None: no limit.
    """
    from accelerate import Accelerator

    accelerator = accelerator or Accelerator(cpu=not torch.cuda.is_available())
    device, rank, world = accelerator.device, accelerator.process_index, accelerator.num_processes
    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    generator = torch.Generator().manual_seed(config.seed)
    model = InterestModel(n_items, text_vectors, config)
    # fused: one kernel per step instead of a pass per operation over every parameter (6x faster on
    # a CPU for ml-25m's 12 M parameters, where the unfused step was a third of a batch)
    optimiser = torch.optim.Adam(model.parameters(), lr=config.lr_for(n_items), weight_decay=config.weight_decay,
                                 fused=device.type in ("cpu", "cuda"))
    rows, positions = _training_positions(sequences, config.max_positions_per_user)
    seen = sequences.seen(n_items)
    starts = sequences.offsets[:-1]
    q = _popularity(sequences.items[positions], n_items) if config.sampled_for(n_items) else None
    prefix_text, table_seconds = None, None
    # the full softmax folds the text into the input tables (InterestModel._folded_interest): no table
    if model.text_in is not None and config.sampled_for(n_items) and config.history_sample_for(n_items) is None \
            and len(sequences.items) * model.text.shape[1] * 4 <= PREFIX_TEXT_MAX_BYTES:
        table_began = time.perf_counter()
        prefix_text = prefix_text_means(sequences, model.text[:n_items].numpy())
        table_seconds = time.perf_counter() - table_began
    state = _resume(checkpoint, config, n_items, len(rows), model, optimiser, rng, generator)
    model, optimiser = accelerator.prepare(model, optimiser)
    spent, history = state["spent"], state["history"]
    best = (state["best_value"], state["best_epoch"], state["best_state"])
    began = time.perf_counter()
    stopped_by_budget = False
    batch_size = config.batch_size_for(n_items)
    batches = -(-len(rows) // batch_size)
    floor = LogitsGemmProbe(-(-batch_size // world), config.dim + 1, config.logits_columns(n_items), device)
    trained = 0
    bar = tqdm(total=config.epochs * batches, initial=state["epoch"] * batches, desc="train interest model",
               unit="batch", disable=not progress or not accelerator.is_main_process, leave=False)
    for epoch in range(state["epoch"] + 1, config.epochs + 1):
        bar.set_description(f"train interest model, epoch {epoch}/{config.epochs}")
        model.train()
        order = rng.permutation(len(rows))
        total = 0.0
        for begin in range(0, len(order), batch_size)[:max_batches]:
            tick = time.perf_counter()
            batch = order[begin : begin + batch_size]
            if len(batch) < world:
                continue  # a last sliver too small to share: every process skips it alike
            inputs, extra = _batch_inputs(sequences, rows, positions, starts, seen, batch[rank::world], n_items, config,
                                          q, generator, device, rng, prefix_text)
            tock = time.perf_counter()
            loss = model(*inputs, **extra)
            forward = time.perf_counter()
            optimiser.zero_grad()
            accelerator.backward(loss)
            backward = time.perf_counter()
            optimiser.step()
            total += loss.item() * len(batch)
            done = time.perf_counter()
            bar.update(1)
            for part, seconds in (("batch inputs", tock - tick), ("forward", forward - tock),
                                  ("backward", backward - forward), ("optimiser", done - backward)):
                spent[part] = spent.get(part, 0.0) + seconds
            trained += 1
            if trained % FLOOR_PROBE_EVERY == FLOOR_PROBE_EVERY // 2:
                floor.probe()
        record = {"epoch": epoch, "loss": total / len(order)}
        stop = False
        if validate is not None:
            plain = accelerator.unwrap_model(model)
            plain.eval()
            record["validation"] = float(validate(plain))  # the same on every process: the weights are
            if record["validation"] > best[0]:             # identical, so are the decisions
                best = (record["validation"], epoch, {k: v.detach().cpu().clone() for k, v in plain.state_dict().items()})
            elif epoch - best[1] >= config.patience:
                stop = True
        history.append(record)
        bar.set_postfix({k: round(v, 4) for k, v in record.items() if k != "epoch"})
        if time_budget_s is not None and time.perf_counter() - began >= time_budget_s and epoch < config.epochs:
            stop, stopped_by_budget = True, True
        if checkpoint is not None and accelerator.is_main_process:
            _save_checkpoint(checkpoint, config, n_items, len(rows), epoch, accelerator.unwrap_model(model), optimiser,
                             rng, generator, best, history, spent)
        if stop:
            break
    bar.close()
    model = accelerator.unwrap_model(model)
    if best[2] is not None:
        model.load_state_dict(best[2])
    model.eval()
    best_epoch = best[1] if best[2] is not None else len(history)
    return model, TrainingReport(len(history), best_epoch, best[0], time.perf_counter() - began, history, spent,
                                 resumed_after=state["epoch"], processes=world, stopped_by_budget=stopped_by_budget,
                                 text_table_seconds=table_seconds, batches=trained,
                                 floor_batch_seconds=floor.mean_seconds)


def _batch_inputs(sequences: Sequences, rows: np.ndarray, positions: np.ndarray, starts: np.ndarray,
                  seen: sparse.csr_matrix, share: np.ndarray, n_items: int, config: TrackerConfig,
                  q: torch.Tensor | None, generator: torch.Generator, device: torch.device,
                  rng: np.random.Generator, prefix_text: np.ndarray | None = None) -> tuple[tuple, dict]:
    """The positional and keyword arguments of :meth:`InterestModel.forward` for this process's share
    of a batch (``prefix_text``: :func:`prefix_text_means` of the sequences, when computed)."""
    row, target = rows[share], positions[share]
    window_items, window_ratings = windows(sequences.items, sequences.ratings, target, starts[row], config.window, n_items)
    means, means_t = prefix_mean_matrices(sequences.items, starts[row], target, n_items,
                                          config.history_sample_for(n_items), rng)
    history = torch_csr(means).to(device)
    means_t.resize((n_items + 1, len(row)))  # the padding row long_term multiplies too: no entries
    targets = torch.as_tensor(sequences.items[target])
    as_device = lambda array: torch.as_tensor(array).to(device)  # noqa: E731
    extra = {"history_t": torch_csr(means_t).to(device)}
    if prefix_text is not None:
        extra["history_text"] = as_device(prefix_text[target])
    if q is None:
        theirs = seen[row]  # the targets among them stay in the denominator (full_softmax_loss)
        own = np.empty((2, theirs.nnz), dtype=np.int64)  # filled in place: a stack and a cast were 2 ms
        own[0] = np.repeat(np.arange(len(row)), np.diff(theirs.indptr))
        own[1] = theirs.indices
        return (history, as_device(window_items), as_device(window_ratings), targets.to(device), as_device(own)), extra
    # the negatives come from a generator every process advances alike, so all draw the same ones
    drawn = torch.multinomial(q, config.negatives, replacement=True, generator=generator)
    own = torch.as_tensor(own_among_drawn(seen[row], drawn.numpy()))  # a row's target is its own: among them
    log_expected = torch.log(config.negatives * q[torch.cat([targets, drawn])])
    if not config.correct_target:
        # the target is not drawn: it is in its row's denominator always, at weight one as in the full
        # softmax, while the draws estimate the rest (Khrylchenko et al. 2025, "Correcting the LogQ Correction")
        log_expected[: len(targets)] = 0.0
    return (history, as_device(window_items), as_device(window_ratings), targets.to(device), own.to(device),
            drawn.to(device), log_expected.to(device)), extra


def own_among_drawn(theirs: sparse.csr_matrix, drawn: np.ndarray) -> np.ndarray:
    """(2, k) pairs (row, j), sorted by row: the sampled negatives ``drawn[j]`` that are among row's own
    movies (``theirs``, a boolean CSR of rows × catalog).

    Pairs, not a (rows × negatives) mask: the loss writes them into its blocks of logits
    (:mod:`tracking.sampled_softmax`) where a dense mask took a pass over every logit forward and
    backward (7.6 of an ml-25m batch's 117 ms). Each own movie is looked up in a table of how often it
    was drawn: 6.7 ms a batch there, where selecting the drawn columns of every row took 8.9.
    """
    times_drawn = np.bincount(drawn, minlength=theirs.shape[1])
    hit = np.flatnonzero(np.take(times_drawn > 0, theirs.indices))  # a byte per own movie: the pass moves the least
    movies = theirs.indices[hit]
    times = times_drawn[movies]
    per_row = np.diff(np.searchsorted(hit, theirs.indptr))  # hits come in row order
    rows = np.repeat(np.repeat(np.arange(theirs.shape[0]), per_row), times)
    # the draws of each movie, contiguous in the drawn ones sorted: a movie drawn twice gives two pairs
    begins = np.cumsum(times_drawn) - times_drawn
    shift = begins[movies] - (np.cumsum(times) - times)  # pair p: begins + its place among its movie's draws
    columns = np.argsort(drawn, kind="stable")[np.repeat(shift, times) + np.arange(times.sum())]
    return np.stack([rows, columns]).astype(np.int64, copy=False)


def _fingerprint(config: TrackerConfig, n_items: int, positions: int) -> dict[str, Any]:
    """What a checkpoint must match to be resumed (the epoch count may grow)."""
    return {**config.model_dump(exclude={"epochs"}), "n_items": n_items, "positions": positions}


def _resume(path: Path | None, config: TrackerConfig, n_items: int, positions: int, model: InterestModel,
            optimiser: torch.optim.Optimizer, rng: np.random.Generator, generator: torch.Generator) -> dict[str, Any]:
    """The training state to continue from: a matching checkpoint's, else a fresh start."""
    fresh = {"epoch": 0, "best_value": -math.inf, "best_epoch": 0, "best_state": None, "history": [], "spent": {}}
    if path is None or not Path(path).is_file():
        return fresh
    saved = torch.load(path, weights_only=False)
    if saved.get("fingerprint") != _fingerprint(config, n_items, positions):
        return fresh  # another data set or other settings: start over (the file is overwritten)
    model.load_state_dict(saved["model"])
    optimiser.load_state_dict(saved["optimiser"])
    rng.bit_generator.state = saved["rng"]
    generator.set_state(saved["generator"])
    torch.set_rng_state(saved["torch_rng"])
    return {key: saved[key] for key in fresh}


def _save_checkpoint(path: Path, config: TrackerConfig, n_items: int, positions: int, epoch: int, model: InterestModel,
                     optimiser: Any, rng: np.random.Generator, generator: torch.Generator, best: tuple,
                     history: list[dict[str, float]], spent: dict[str, float]) -> None:
    state = {
        "fingerprint": _fingerprint(config, n_items, positions), "epoch": epoch,
        "model": {k: v.detach().cpu() for k, v in model.state_dict().items()}, "optimiser": optimiser.state_dict(),
        "rng": rng.bit_generator.state, "generator": generator.get_state(), "torch_rng": torch.get_rng_state(),
        "best_value": best[0], "best_epoch": best[1], "best_state": best[2], "history": history, "spent": spent,
    }
    atomic_write(Path(path), lambda handle: torch.save(state, handle))

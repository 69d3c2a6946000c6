"""The protocol's interest-drift part: the drift subset (real data) and the injected shift.

``shared/PROTOCOL.md``, "Interest drift":

1. Drift subset: users whose genre distribution over their last 20 train + validation interactions
   differs from that over the rest of their history by Jensen-Shannon divergence >= 0.2 (base 2).
2. Injected shift: for 200 sampled users, append k = 1, 3, 5 interactions with the most popular movies
   of a genre the user never watched and measure the share of the top 10 in that genre
   (adaptation@k); then append 10 interactions from the user's own top genre and measure how much of
   the original top 10 returns (retention).

Choices the protocol leaves open, fixed here (and reported in ``results.json``):

* Eligible shift users have at least one never-watched genre with at least ``min_genre_items`` movies
  in the catalog (so a top 10 could be filled with it); the sample is drawn among them with a fixed
  seed, and the genre is drawn uniformly among the user's eligible genres with the same generator.
* "Most popular" counts users in the data the model was fit on (train + validation), ties by movie id.
* The user's top genre is the most frequent genre over their train + validation history (ties: first in
  the release's genre order). The 10 "return" movies are that genre's most popular movies the user has
  not seen, leaving out the injected ones and the model's own original top 10 (so that the movies whose
  return is measured stay recommendable).
* Retention = |original top 10 ∩ final top 10| / |original top 10 minus the injected movies|.
* Appended interactions carry rating 4.0 and timestamps one minute apart after the user's last one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from evaluation.metrics import PAD, top_k
from evaluation.protocol import Histories, Split

DRIFT_WINDOW = 20
DRIFT_THRESHOLD = 0.2
SHIFT_USERS = 200
SHIFT_STEPS = (1, 3, 5)
RETURN_STEPS = 10
APPENDED_RATING = 4.0
APPENDED_GAP_SECONDS = 60


def js_divergence(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Jensen-Shannon divergence, base 2, row-wise between distributions ``p`` and ``q``."""
    m = 0.5 * (p + q)

    def kl(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ratio = np.divide(a, b, out=np.ones_like(a), where=a > 0)
        return np.sum(np.where(a > 0, a * np.log2(ratio), 0.0), axis=-1)

    return 0.5 * kl(p, m) + 0.5 * kl(q, m)


def genre_distributions(histories: Histories, genre_matrix: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Genre distribution of each row's last ``window`` interactions and of the rest.

    Returns:
        ``(recent, earlier)``, each (n_rows, n_genres), rows normalised to sum 1 (all-zero where a
        part has no genre mass).
    """
    rows = histories.row_of_entry
    from_end = histories.offsets[1:][rows] - np.arange(len(histories.items)) - 1
    recent = from_end < window
    genres = sparse.csr_matrix(genre_matrix.astype(np.float64))

    def part_sums(mask: np.ndarray) -> np.ndarray:
        indicator = sparse.csr_matrix(
            (np.ones(int(mask.sum())), (rows[mask], histories.items[mask])),
            shape=(len(histories), genre_matrix.shape[0]),
        )
        return np.asarray((indicator @ genres).todense())

    def normalise(sums: np.ndarray) -> np.ndarray:
        totals = sums.sum(axis=1, keepdims=True)
        return np.divide(sums, totals, out=np.zeros_like(sums), where=totals > 0)

    return normalise(part_sums(recent)), normalise(part_sums(~recent))


def drift_subset(
    split: Split,
    window: int = DRIFT_WINDOW,
    threshold: float = DRIFT_THRESHOLD,
) -> np.ndarray:
    """User ids of the drift subset (ascending).

    A user with ``window`` or fewer train + validation interactions has no earlier part and is not in
    the subset; nor is one whose recent or earlier part carries no genre at all (undefined divergence).
    """
    histories = split.histories("test")
    recent, earlier = genre_distributions(histories, split.catalog.genre_matrix, window)
    defined = (histories.lengths > window) & (recent.sum(axis=1) > 0) & (earlier.sum(axis=1) > 0)
    divergence = js_divergence(recent, earlier)
    return histories.user_ids[defined & (divergence >= threshold)]


@dataclass
class ShiftCases:
    """The injected-shift inputs, fixed before any model is evaluated.

    Attributes:
        histories: The sampled users' train + validation histories.
        genres: Index (in the genre vocabulary) of the injected, never-watched genre per user.
        injected: (n_users, max(SHIFT_STEPS)) movies appended in this order (catalog positions).
        top_genres: The user's own top genre, for the return phase.
        return_candidates: Per user, that genre's unseen movies by popularity (the model's original
            top 10 and the injected movies are removed at evaluation time; the first 10 left are used).
        seed: Seed of the user and genre draw.
    """

    histories: Histories
    genres: np.ndarray
    injected: np.ndarray
    top_genres: np.ndarray
    return_candidates: list[np.ndarray]
    seed: int
    eligible_users: int = 0
    notes: dict[str, object] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.histories)


def _popularity_order(popularity: np.ndarray) -> np.ndarray:
    """Item positions by popularity descending, ties by position (movie id) ascending."""
    return np.lexsort((np.arange(len(popularity)), -popularity))


def build_shift_cases(
    split: Split,
    n_users: int = SHIFT_USERS,
    seed: int = 0,
    min_genre_items: int = 20,
    steps: tuple[int, ...] = SHIFT_STEPS,
    return_steps: int = RETURN_STEPS,
) -> ShiftCases:
    """Draw the shift users and their injected and return movies (see module docstring)."""
    genre_matrix = split.catalog.genre_matrix > 0
    n_items, n_genres = genre_matrix.shape
    all_histories = split.histories("test")
    fit = split.fit_data("test")
    popularity = np.bincount(fit["item"].to_numpy(), minlength=n_items)
    by_popularity = _popularity_order(popularity)

    watched = all_histories.to_csr(n_items) @ sparse.csr_matrix(genre_matrix.astype(np.float64))
    genre_counts = np.asarray(watched.todense())
    big_genres = genre_matrix.sum(axis=0) >= min_genre_items
    eligible_genres = (genre_counts == 0) & big_genres[None, :]
    eligible_rows = np.flatnonzero(eligible_genres.any(axis=1))
    rng = np.random.default_rng(seed)
    chosen = np.sort(rng.choice(eligible_rows, size=min(n_users, len(eligible_rows)), replace=False))
    keys = rng.random((len(chosen), n_genres))
    keys[~eligible_genres[chosen]] = -1.0
    genres = keys.argmax(axis=1)

    n_inject = max(steps)
    genre_top = np.full((n_genres, n_inject), PAD, dtype=np.int64)
    for g in range(n_genres):  # a few dozen genres
        top = by_popularity[genre_matrix[by_popularity, g]][:n_inject]
        genre_top[g, : len(top)] = top
    injected = genre_top[genres]

    histories = all_histories.take(chosen)
    counts = genre_counts[chosen]
    top_genres = counts.argmax(axis=1)
    seen = histories.to_csr(n_items).tolil().rows
    candidates = []
    for row, genre in enumerate(top_genres):
        order = by_popularity[genre_matrix[by_popularity, genre]]
        unseen = order[~np.isin(order, seen[row])]
        candidates.append(unseen[: return_steps + 10 + n_inject])
    return ShiftCases(
        histories=histories,
        genres=genres,
        injected=injected,
        top_genres=top_genres,
        return_candidates=candidates,
        seed=seed,
        eligible_users=len(eligible_rows),
        notes={"min_genre_items": min_genre_items, "steps": list(steps), "return_steps": return_steps},
    )


def appended_histories(histories: Histories, items: np.ndarray) -> Histories:
    """Histories holding ``items[r]`` for row ``r`` (one row per user), stamped after the user's last."""
    n, k = items.shape
    last = np.zeros(n, dtype=np.int64)
    nonempty = histories.lengths > 0
    last[nonempty] = histories.timestamps[histories.offsets[1:][nonempty] - 1]
    stamps = last[:, None] + APPENDED_GAP_SECONDS * np.arange(1, k + 1)[None, :]
    return Histories(
        user_ids=histories.user_ids,
        offsets=np.arange(n + 1, dtype=np.int64) * k,
        items=items.reshape(-1).astype(np.int64),
        ratings=np.full(n * k, APPENDED_RATING, dtype=np.float32),
        timestamps=stamps.reshape(-1).astype(np.int64),
    )


def _top10_after(model, cases: ShiftCases, extra: np.ndarray) -> np.ndarray:
    """Top 10 after appending ``extra`` (n_users, m) to each history; excludes all input items."""
    appended = appended_histories(cases.histories, extra)
    scores = model.score_appended(cases.histories, appended)
    full = cases.histories.append(appended)
    return top_k(scores, 10, full.row_of_entry, full.items)


def evaluate_shift(model, cases: ShiftCases, genre_matrix: np.ndarray) -> dict[str, float]:
    """adaptation@0 (before the shift), adaptation@k for each step, and retention, for one fitted model."""
    genre_matrix = genre_matrix > 0
    out: dict[str, float] = {}
    if len(cases) == 0:
        return out
    n = len(cases)
    original = _top10_after(model, cases, np.zeros((n, 0), dtype=np.int64))

    def genre_share(lists: np.ndarray) -> float:
        present = lists != PAD
        in_genre = genre_matrix[np.where(present, lists, 0), cases.genres[:, None]] & present
        return float(np.mean(in_genre.sum(axis=1) / 10.0))

    out["adaptation@0"] = genre_share(original)
    steps = cases.notes.get("steps", list(SHIFT_STEPS))
    for k in steps:
        out[f"adaptation@{k}"] = genre_share(_top10_after(model, cases, cases.injected[:, :k]))

    n_return = int(cases.notes.get("return_steps", RETURN_STEPS))
    returns = np.full((n, n_return), PAD, dtype=np.int64)
    for row in range(n):  # 200 short rows: not a hot path
        blocked = np.concatenate([original[row], cases.injected[row]])
        pool = cases.return_candidates[row]
        pool = pool[~np.isin(pool, blocked)][:n_return]
        returns[row, : len(pool)] = pool
    complete = (returns != PAD).all(axis=1)
    if not complete.all():
        # A top genre with too few unseen movies: keep those users out of retention.
        out["retention_users_dropped"] = float((~complete).sum())
    final = _top10_after(model, _subset(cases, complete), np.concatenate([cases.injected[complete], returns[complete]], axis=1))
    kept_original = original[complete]
    injected = cases.injected[complete]
    valid = (kept_original != PAD) & ~(kept_original[:, :, None] == injected[:, None, :]).any(axis=2)
    returned = (kept_original[:, :, None] == final[:, None, :]).any(axis=2) & valid
    denominators = valid.sum(axis=1)
    usable = denominators > 0
    out["retention"] = float(np.mean(returned.sum(axis=1)[usable] / denominators[usable])) if usable.any() else float("nan")
    return out


def _subset(cases: ShiftCases, mask: np.ndarray) -> ShiftCases:
    rows = np.flatnonzero(mask)
    return ShiftCases(
        histories=cases.histories.take(rows),
        genres=cases.genres[rows],
        injected=cases.injected[rows],
        top_genres=cases.top_genres[rows],
        return_candidates=[cases.return_candidates[r] for r in rows],
        seed=cases.seed,
        eligible_users=cases.eligible_users,
        notes=cases.notes,
    )

"""A user's tracked interests, folded from the event log one event at a time.

The state is exact and model-free (integer counts, a list of recent movies, feedback beliefs), so
the real-time path (apply each event as it arrives) and the history path (rebuild from the log)
give identical profiles. The interest vector v_u is computed from this state by
:mod:`tracking.scoring` with whatever trained model is loaded.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from retrieval.movielens import user_offsets
from tracking.events import Event, EventKind, undone_event_id
from tracking.feedback import NOT_INTERESTED_WEIGHT, FeedbackState

LIKE_RATING = 5.0
"""A "like" from chat or a button enters the history as a 5-star rating."""

INTERACTION_KINDS = (EventKind.RATING, EventKind.WATCH, EventKind.LIKE)


@dataclass
class InterestProfile:
    """Everything driftrec tracks about one user.

    Attributes:
        user_id: The user.
        window: How many recent movies form the short-term part.
        counts: Movie id → times interacted (the long-term part averages over these).
        recent: The last ``window`` interactions as (movie id, rating or NaN), oldest first.
        feedback: Beliefs, hard rules and excluded movies.
        interactions: Number of interactions folded in.
        last_seq: Sequence number of the last event folded in (0: none).
        first_time, last_time: Timestamps of the first and last event.
    """

    user_id: str
    window: int
    counts: Counter = field(default_factory=Counter)
    recent: list[tuple[int, float]] = field(default_factory=list)
    feedback: FeedbackState = field(default_factory=FeedbackState)
    interactions: int = 0
    last_seq: int = 0
    first_time: float | None = None
    last_time: float | None = None

    def apply(self, event: Event) -> None:
        """Fold one event in. The single place where an event changes a profile."""
        if event.kind in INTERACTION_KINDS:
            rating = {EventKind.RATING: event.value, EventKind.WATCH: math.nan, EventKind.LIKE: LIKE_RATING}[event.kind]
            self._interact(int(event.movie_id), rating)
            if event.kind is EventKind.LIKE:
                self.feedback.react_to_movie(int(event.movie_id), +event.value, None)
        elif event.kind is EventKind.DISLIKE:
            self.feedback.react_to_movie(int(event.movie_id), -event.value, "dislike")
        elif event.kind is EventKind.NOT_INTERESTED:
            self.feedback.react_to_movie(int(event.movie_id), -NOT_INTERESTED_WEIGHT * event.value, "not_interested")
        elif event.kind is EventKind.PREFERENCE:
            self.feedback.prefer(str(event.attribute), event.value, event.hard)
        # an undo changes nothing here: fold() leaves out the event it takes back
        if event.seq is not None:
            self.last_seq = max(self.last_seq, event.seq)
        self.first_time = event.timestamp if self.first_time is None else self.first_time
        self.last_time = event.timestamp

    def _interact(self, movie_id: int, rating: float) -> None:
        self.counts[movie_id] += 1
        self.recent.append((movie_id, rating))
        del self.recent[: -self.window]
        self.interactions += 1
        self.feedback.age()

    @property
    def seen(self) -> set[int]:
        return set(self.counts)

    def state(self) -> dict[str, object]:
        """A comparable, JSON-ready snapshot (used to prove real-time and rebuild agree)."""
        return {
            "user_id": self.user_id,
            "counts": dict(sorted(self.counts.items())),
            "recent": [(m, None if math.isnan(r) else r) for m, r in self.recent],
            "feedback": self.feedback.to_dict(),
            "interactions": self.interactions,
            "last_seq": self.last_seq,
        }


def fold(user_id: str, events: list[Event], window: int) -> InterestProfile:
    """Rebuild a profile from a user's events in log order; an undone event counts as never logged."""
    undone = {taken_back for event in events if (taken_back := undone_event_id(event))}
    profile = InterestProfile(user_id, window)
    for event in events:
        if event.event_id not in undone:
            profile.apply(event)
    return profile


def fold_history_bulk(
    user_ids: np.ndarray,
    movie_ids: np.ndarray,
    ratings: np.ndarray,
    seqs: np.ndarray,
    timestamps: np.ndarray,
    window: int,
) -> dict[str, InterestProfile]:
    """Profiles of users whose events are only ratings, vectorised over the whole import.

    Rows must be in log order within each user. Ratings age no feedback (there is none yet), so
    counts and the recent window are all that change: the result equals :func:`fold` on the same
    events, without a Python step per event.
    """
    order = np.argsort(user_ids, kind="stable")
    users, movies, stars = user_ids[order], movie_ids[order], ratings[order]
    seqs, timestamps = seqs[order], timestamps[order]
    offsets = user_offsets(users)
    profiles: dict[str, InterestProfile] = {}
    for start, end in zip(offsets[:-1].tolist(), offsets[1:].tolist()):
        # One step per user, not per event: counts come from numpy, the window is a slice.
        profile = profile_from_interactions(movies[start:end], stars[start:end], window, str(users[start]))
        profile.last_seq = int(seqs[end - 1])
        profile.first_time, profile.last_time = float(timestamps[start]), float(timestamps[end - 1])
        profiles[profile.user_id] = profile
    return profiles


def profile_from_interactions(movie_ids: np.ndarray, ratings: np.ndarray, window: int, user_id: str = "") -> InterestProfile:
    """The profile that folding these interactions as rating events (in order) gives."""
    profile = InterestProfile(user_id, window)
    ids, counts = np.unique(movie_ids, return_counts=True)
    profile.counts = Counter(dict(zip(ids.tolist(), counts.tolist())))
    profile.recent = list(zip(movie_ids[-window:].tolist(), np.asarray(ratings[-window:], dtype=float).tolist()))
    profile.interactions = len(movie_ids)
    return profile

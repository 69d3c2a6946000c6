"""A user's interest timeline: the event log replayed, with genre shares at each point.

The timeline is not read from the saved profile versions (a MovieLens user's whole history is
imported at once and gets one version). It folds the user's events again, in log order, and takes
a point every few ratings of their history (so a user who rated 600 movies over three years shows
how their taste moved, at the ratings' own dates) and one at every piece of live feedback (a chat
message, a button). Each point has three views of the same profile:

- **long-term**: genre shares of every movie the user interacted with so far;
- **recent**: genre shares of the last ``window`` movies (the short-term part);
- **recommended**: genre shares under the recommender's P(i|u) with the feedback applied, the
  softmax over every movie they may still be shown. Only this one moves on "less horror" or a 👎,
  which is exactly what feedback changes.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from retrieval.fileio import atomic_write
from tracking.events import Event, EventSource, undone_event_id
from tracking.profile import INTERACTION_KINDS, InterestProfile
from tracking.scoring import CatalogFeatures, ScoringTables, score_profile

HORIZONS = ("long-term", "recent", "recommended")
TIMELINE_COLUMNS = ["point", "when", "time", "events", "after", "horizon", "genre", "share"]


@dataclass(frozen=True)
class TimelineConfig:
    """How dense the replay is.

    Attributes:
        every: At least this many history ratings between two points.
        max_history_points: At most this many points over the imported history (``every`` grows).
        max_live_points: At most this many of the latest live feedback events get their own point.
        genres: Genres drawn: the largest shares, plus any genre the user gave feedback on.
    """

    every: int = 20
    max_history_points: int = 24
    max_live_points: int = 16
    genres: int = 6


def replay_timeline(
    events: list[Event],
    window: int,
    tables: ScoringTables,
    features: CatalogFeatures,
    describe: Callable[[Event], str],
    config: TimelineConfig = TimelineConfig(),
) -> pd.DataFrame:
    """Fold ``events`` again and return one row per (point, horizon, genre) (:data:`TIMELINE_COLUMNS`).

    Args:
        events: The user's events in log order (``EventLog.events_for``); undone ones are left out.
        window: The short-term window of the profile.
        tables, features: The tracker's scoring tables and catalog features.
        describe: What a live event was, for the ``after`` column ("👎 Fargo (1996)", "less Horror").
        config: Point density and genres drawn.

    Returns:
        ``point`` 1, 2, … in time order; ``when`` a unique label with the real date ("2000-11-20 ·
        40", or the minute for live events); ``events`` how many were folded; ``after`` what the
        point follows; ``share`` the genre's share in that horizon (0 when absent). Empty when the
        user has no events.
    """
    undone = {taken_back for event in events if (taken_back := undone_event_id(event))}
    kept = [e for e in events if e.event_id not in undone and undone_event_id(e) is None]
    marks = _point_positions(kept, config)
    profile = InterestProfile(events[0].user_id if events else "", window)
    points: list[tuple[int, Event, np.ndarray]] = []
    folded = 0
    for position in marks:
        for event in kept[folded: position + 1]:
            profile.apply(event)
        folded = position + 1
        points.append((folded, kept[position], _shares(profile, tables, features)))
    if not points:
        return pd.DataFrame(columns=TIMELINE_COLUMNS)
    genre_columns = _genres_drawn(np.stack([shares for _, _, shares in points]), profile, features, config.genres)
    rows = [
        (number, _label(event, count), pd.Timestamp(event.timestamp, unit="s"), count,
         _after(event, count, describe), horizon, features.genre_vocabulary[g], round(float(shares[h, g]), 4))
        for number, (count, event, shares) in enumerate(points, 1)
        for h, horizon in enumerate(HORIZONS)
        for g in genre_columns
    ]
    return pd.DataFrame(rows, columns=TIMELINE_COLUMNS)


def _point_positions(events: list[Event], config: TimelineConfig) -> list[int]:
    """Indices of the events after which a point is taken: every few history interactions, each of
    the latest live events, and the last event."""
    history = [i for i, e in enumerate(events) if e.source == EventSource.HISTORY and e.kind in INTERACTION_KINDS]
    step = max(config.every, math.ceil(len(history) / config.max_history_points)) if history else 1
    live = [i for i, e in enumerate(events) if e.source != EventSource.HISTORY]
    marks = set(history[step - 1:: step]) | set(live[-config.max_live_points:])
    if events:
        marks.add(len(events) - 1)
    return sorted(marks)


def _shares(profile: InterestProfile, tables: ScoringTables, features: CatalogFeatures) -> np.ndarray:
    """(3, n_genres): long-term, recent and recommended genre shares of ``profile``."""
    genres = features.genres.astype(np.float64)
    rows = tables.positions
    long_term = np.zeros(genres.shape[1])
    recent = np.zeros(genres.shape[1])
    if profile.counts:
        movies, counts = zip(*profile.counts.items())
        long_term = np.asarray(counts, dtype=np.float64) @ genres[rows(list(movies))]
        recent = genres[rows([m for m, _ in profile.recent])].sum(axis=0)
    scored = score_profile(profile, tables, features)
    logit = scored.posterior_logit[scored.allowed].astype(np.float64)
    probability = np.exp(logit - logit.max()) if len(logit) else logit
    recommended = probability @ genres[scored.allowed]
    stacked = np.stack([long_term, recent, recommended])
    totals = stacked.sum(axis=1, keepdims=True)
    return np.divide(stacked, totals, out=np.zeros_like(stacked), where=totals > 0)


def _genres_drawn(shares: np.ndarray, profile: InterestProfile, features: CatalogFeatures, top: int) -> list[int]:
    """The genres with the largest share anywhere on the timeline, and every genre given feedback on."""
    vocabulary = features.genre_vocabulary
    largest = [int(g) for g in np.argsort(-shares.max(axis=(0, 1)))[:top] if shares.max(axis=(0, 1))[g] > 0]
    named = [vocabulary.index(facet.split(":", 1)[1]) for facet in profile.feedback.beliefs
             if facet.startswith("genre:") and facet.split(":", 1)[1] in vocabulary]
    named += [vocabulary.index(facet.split(":", 1)[1]) for facet in profile.feedback.to_dict()["rules"]
              if facet.startswith("genre:") and facet.split(":", 1)[1] in vocabulary]
    return sorted(dict.fromkeys([*largest, *named]), key=lambda g: vocabulary[g])


def _label(event: Event, count: int) -> str:
    """A unique, readable x label: the date (the minute for live events) and the events folded."""
    stamp = pd.Timestamp(event.timestamp, unit="s")
    when = stamp.strftime("%Y-%m-%d") if event.source == EventSource.HISTORY else stamp.strftime("%Y-%m-%d %H:%M")
    return f"{when} · {count}"


def _after(event: Event, count: int, describe: Callable[[Event], str]) -> str:
    return f"{count} ratings" if event.source == EventSource.HISTORY else describe(event)


def plot_timeline(frame: pd.DataFrame, path: Path, title: str) -> Path:
    """Line plots of genre shares per timeline point, one panel per horizon (PNG, written atomically)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(len(HORIZONS), 1, figsize=(9, 8), sharex=True)
    colours = {genre: f"C{i % 10}" for i, genre in enumerate(sorted(frame["genre"].unique()))}
    labels = frame.drop_duplicates("point").sort_values("point")
    for axis, horizon in zip(axes, HORIZONS):
        part = frame[frame["horizon"] == horizon]
        for genre, line in part.groupby("genre"):
            axis.plot(line["point"], line["share"], marker="o", markersize=3, color=colours[genre], label=genre)
        axis.set_ylabel(f"{horizon} share")
        axis.set_ylim(0, 1)
    axes[0].set_title(title)
    axes[0].legend(fontsize=7, ncol=4)
    axes[-1].set_xticks(labels["point"], labels["when"], rotation=45, ha="right", fontsize=7)
    axes[-1].set_xlabel("point (date · events folded)")
    figure.tight_layout()
    atomic_write(Path(path), lambda handle: figure.savefig(handle, format="png", dpi=110))
    plt.close(figure)
    return Path(path)

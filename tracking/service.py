"""The tracker: events in, profiles kept current, recommendations and explanations out.

Every way in goes through the event log first (the source of truth), then through one fold step
(:meth:`InterestProfile.apply`): a live event is applied to the cached profile at once; a rebuild
folds the user's whole log. Each call takes the user id explicitly and touches only that user's
events and profile.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import time
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from retrieval.errors import DriftrecError
from retrieval.movielens import Catalog, load_dataset
from retrieval.settings import Settings
from retrieval.store import open_client, parse_years, purge_deleted_records
from tracking.events import UNDO_PREFIX, Event, EventKind, EventStore, open_event_log, undone_event_id, user_key
from tracking.ingest import IngestReport, ingest_interactions
from tracking.profile import InterestProfile, fold, fold_history_bulk
from tracking.grounding import MentionVocabulary
from tracking.scoring import CatalogFeatures, Interest, Scored, ScoringTables, breakdowns, interest_of, score_profile
from tracking.summary import summarise
from tracking.timeline import TimelineConfig, replay_timeline
from tracking.train import tables_path

VERSION_DISTANCE = 0.05
"""A new profile version is written once v_u has turned by this cosine distance since the last one."""
TOP_GENRES = 3
VERSION_FACTS_SHOWN = ("summary", "summary_source", "summary_model", "summary_refused", "as_of", "interactions")
"""What :meth:`Tracker.describe` tells of each profile version (the vector stays in the log)."""
BELIEF_CHANGE = 0.5
"""... or once a feedback belief has moved by this many logits (feedback leaves v_u as it is)."""
OUTBOX_RETRY_S = 30.0
"""After a failed Chroma write, this process leaves the outbox alone this long (a down server is not
asked again on every event); `driftrec doctor --repair` retries at once."""

OUTBOX_BATCH = 500
"""Outbox entries read, and upserts sent to Chroma, at a time."""

log = logging.getLogger(__name__)


class UserForgotten(DriftrecError):
    """The session's user was forgotten (by this or another process) after the session began."""


@dataclass(frozen=True)
class PendingVersion:
    """A profile version computed but not yet summarised and stored (see :meth:`Tracker.save_version`)."""

    user_id: str
    facts: dict[str, Any]
    vector: np.ndarray
    last_seq: int


@dataclass(frozen=True)
class Constraints:
    """Per-request filters (they change this list only, not the profile)."""

    genres: tuple[str, ...] = ()
    exclude_genres: tuple[str, ...] = ()
    years: str | None = None


class Tracker:
    """Profiles, scoring and feedback for one data set.

    Args:
        settings: Where the event log, the trained tables and Chroma live.
        catalog: The data set's catalog (loaded from ``settings`` when None).
        tables: Trained scoring tables (loaded from ``settings`` when None).
        log: An open event log (opened from ``settings`` when None).
        summary_model: A LangChain chat model that phrases interest summaries (template when None).
            The caller owns it: tracking never loads a model.
        rating_counts: Ratings per movie id in the data set (counted from ``settings``' data set
            when None: at once where the catalog is loaded from it too, else on first use).
    """

    def __init__(
        self,
        settings: Settings,
        catalog: Catalog | None = None,
        tables: ScoringTables | None = None,
        log: EventStore | None = None,
        summary_model: Any = None,
        rating_counts: pd.Series | None = None,
    ) -> None:
        self.settings = settings
        self.summary_model = summary_model
        if catalog is None:
            data = load_dataset(settings.dataset, settings.data_dir)
            catalog = data.catalog
            rating_counts = data.interactions["movie_id"].value_counts() if rating_counts is None else rating_counts
        self._catalog = catalog
        self._rating_counts = rating_counts
        self._use_tables(tables or _load_tables(settings))
        self.log = log or open_event_log(settings)
        self._profiles: dict[str, InterestProfile] = {}
        self._chroma: Any = None
        self._forgets_seen = self.log.last_forget()
        self._outbox_retry_at = 0.0
        self._sync_deferred = False
        self.sync_chroma()  # what an earlier process committed but could not write to Chroma

    def _use_tables(self, tables: ScoringTables) -> None:
        self.tables = tables
        self.movies = _aligned_movies(self._catalog, tables)
        # Plain lists: cards are built on every request, and pandas row access costs milliseconds.
        self._titles = self.movies["title"].tolist()
        self._years = [None if pd.isna(y) else int(y) for y in self.movies["year"]]
        self._genres = [list(g) for g in self.movies["genres"]]
        self.features = CatalogFeatures.build(self._catalog, tables)
        self._row_of = {int(m): i for i, m in enumerate(tables.movie_ids.tolist())}
        self.__dict__.pop("mention_vocabulary", None)  # cached from the old titles

    @property
    def rating_counts(self) -> np.ndarray:
        """Ratings per movie of :attr:`movies` in the data set: how well known each title is (the item
        bias in ``movies["popularity"]`` is the model's, on another scale)."""
        if self._rating_counts is None:
            self._rating_counts = load_dataset(self.settings.dataset, self.settings.data_dir).interactions[
                "movie_id"].value_counts()
        return self._rating_counts.reindex(self.movies["movie_id"], fill_value=0).to_numpy(dtype=np.float64)

    def reload_tables(self) -> None:
        """Score with the tables ``driftrec train`` wrote since this tracker opened (a better model
        trained in the background); profiles are folds of the log and stay valid."""
        self._use_tables(_load_tables(self.settings))
        self._profiles.clear()  # the window may differ between models

    # --- identity and validation ----------------------------------------------------------------

    def user_exists(self, user_id: str) -> bool:
        return self.log.count(user_id) > 0

    def require_user(self, user_id: str) -> None:
        if not self.user_exists(user_id):
            users = self.log.users()
            sample = ", ".join(users[:5]) + (", ..." if len(users) > 5 else "")
            raise DriftrecError(
                f"unknown user {user_id!r}; {len(users)} users are known ({sample or 'none yet'}). "
                "A new user starts with any feedback given with --create."
            )

    def movie_id(self, reference: str | int) -> int:
        """A movie id from an id or a title (``"Alien"``, ``"Alien (1979)"``); clear error otherwise."""
        text = str(reference).strip()
        if text.isdigit() and int(text) in self._row_of:
            return int(text)
        titles = self.movies["title"].str.lower()
        labels = (self.movies["title"] + " (" + self.movies["year"].astype("string").fillna("?") + ")").str.lower()
        matches = self.movies[(titles == text.lower()) | (labels == text.lower())]
        if len(matches):
            return int(matches.sort_values("popularity", ascending=False)["movie_id"].iloc[0])
        import difflib

        close = difflib.get_close_matches(text.lower(), titles.tolist(), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else "; give a movie id or an exact title"
        raise DriftrecError(f"unknown movie {reference!r} in {self.settings.dataset}{hint}")

    def check_genre(self, genre: str) -> str:
        for known in self.features.genre_vocabulary:
            if known.lower() == genre.strip().lower():
                return known
        raise DriftrecError(f"unknown genre {genre!r}; known genres: {', '.join(self.features.genre_vocabulary)}")

    def check_facet(self, attribute: str) -> str:
        """A preference attribute the scorer understands: ``genre:<known genre>``, ``years:<range>``
        or ``movie:<id>`` (more or fewer movies like that one: "something like Amélie")."""
        kind, _, value = attribute.partition(":")
        if kind == "genre":
            return f"genre:{self.check_genre(value)}"
        if kind == "years":
            return f"years:{self.check_years(value)}"
        if kind == "movie":
            if not value.strip().isdigit() or int(value) not in self._row_of:
                raise DriftrecError(f"unknown movie id {value!r} in {self.settings.dataset} for preference {attribute!r}")
            return f"movie:{int(value)}"
        raise DriftrecError(
            f"unknown preference {attribute!r}; use genre:<genre>, years:<first>-<last> or movie:<movie id>"
        )

    def check_years(self, years: str) -> str:
        first, last = parse_years(years)
        return f"{first}-{last}"

    # --- events in -----------------------------------------------------------------------------

    def record(self, events: list[Event], save_versions: bool = True) -> int:
        """Store events (one transaction) and update each touched profile at once; returns new events.

        Args:
            events: The events, all checked before any is written.
            save_versions: Also write a profile version (and its summary) where the profile moved.
                A chat turn passes False and calls :meth:`save_version` after its reply, so that
                the summary (maybe an LLM call) and the Chroma write do not delay the answer.
        """
        for event in events:  # all checked before anything is written
            if event.movie_id is not None and int(event.movie_id) not in self._row_of:
                raise DriftrecError(f"unknown movie id {event.movie_id} in {self.settings.dataset}")
            if event.kind is EventKind.UNDO:
                self._check_undo(event)
            elif event.attribute is not None:
                self.check_facet(event.attribute)
        stored = self.log.append_many(events)
        for user_id in {event.user_id for event in events}:
            self.profile(user_id)
            if save_versions:
                self.save_version(user_id)
        return stored

    def _check_undo(self, event: Event) -> None:
        target = self.log.event(undone_event_id(event) or "")
        if target is None or target.user_id != event.user_id:
            raise DriftrecError(f"nothing to undo: {event.attribute!r} is not an event of user {event.user_id!r}")
        if target.kind is EventKind.UNDO:
            raise DriftrecError("an undo cannot itself be undone; give the feedback again instead")

    def undo(self, user_id: str, event_ids: list[str], source: str = "chat") -> int:
        """Take back earlier events of this user (one ``undo`` event each, one transaction); the
        profile folds as if they had never been logged. Returns the undo events stored."""
        undos = [Event.new(user_id, EventKind.UNDO, attribute=f"{UNDO_PREFIX}{event_id}", source=source,
                           event_id=f"undo:{event_id}") for event_id in event_ids
                 if not self.log.has_event(f"undo:{event_id}")]  # undone already: nothing more to store
        return self.record(undos, save_versions=False)

    def save_version(self, user_id: str) -> int | None:
        """Write a profile version if the profile moved past the threshold since the last; its number.

        Three steps, so that a shared tracker (``ui.shared_tracker``) can hold its lock for the first
        and the last only: :meth:`prepare_version`, the summary (maybe an LLM call), :meth:`write_version`.
        """
        pending = self.prepare_version(user_id)
        if pending is None:
            return None
        summary, source, refused = summarise(pending.facts, self.mention_vocabulary, self.summary_model)
        return self.write_version(pending, summary, source, refused)

    def ingest(self, progress: bool = True) -> IngestReport:
        """Import the data set's ratings as history events, then rebuild those users' profiles."""
        data = load_dataset(self.settings.dataset, self.settings.data_dir)
        report = ingest_interactions(self.log, data.interactions, self.settings.dataset, progress=progress)
        profiles = self.rebuild_all()
        self._sync_deferred = True  # one version per user: their Chroma writes go in batches at the end
        try:
            for user_id in sorted(profiles):
                self.save_version(user_id)
        finally:
            self._sync_deferred = False
        self.sync_chroma(force=True)
        return report

    # --- profiles ------------------------------------------------------------------------------

    def profile(self, user_id: str) -> InterestProfile:
        """The user's current profile: the cached one with any newer logged events folded in."""
        self._drop_forgotten()
        profile = self._profiles.get(user_id)
        if profile is None:
            profile = InterestProfile(user_id, self.tables.window)
        newer = self.log.events_for(user_id, since_seq=profile.last_seq or None)
        if any(event.kind is EventKind.UNDO for event in newer):
            return self.rebuild(user_id)  # an undo reaches back: fold the whole log again
        for event in newer:
            profile.apply(event)
        self._profiles[user_id] = profile
        return profile

    def rebuild(self, user_id: str) -> InterestProfile:
        """Fold the user's whole log from scratch (the history path)."""
        profile = fold(user_id, self.log.events_for(user_id), self.tables.window)
        self._profiles[user_id] = profile
        return profile

    def rebuild_all(self) -> dict[str, InterestProfile]:
        """Rebuild every profile: users with only ratings in bulk, the others event by event."""
        frame = self.log.event_frame()
        only_ratings = frame.groupby("user_id")["kind"].agg(lambda kinds: bool((kinds == "rating").all()))
        bulk_users = set(only_ratings[only_ratings].index)
        bulk = frame[frame["user_id"].isin(bulk_users)]
        profiles = fold_history_bulk(
            bulk["user_id"].to_numpy(), bulk["movie_id"].to_numpy(np.int64), bulk["value"].to_numpy(np.float64),
            bulk["seq"].to_numpy(np.int64), bulk["ts"].to_numpy(np.float64), self.tables.window,
        )
        for user_id in set(only_ratings.index) - bulk_users:
            profiles[user_id] = fold(user_id, self.log.events_for(user_id), self.tables.window)
        self._profiles.update(profiles)
        return profiles

    def forget(self, user_id: str) -> tuple[int, bool]:
        """Delete the user's events, profile versions and Chroma profile, and tell other processes.

        The log's part is one transaction (it also records the forget and queues the Chroma delete),
        so it succeeds while Chroma is down; the Chroma part follows at once or, when Chroma is
        unreachable, on the next command that reaches it (`driftrec doctor --repair` at once).

        Returns:
            ``(events deleted, whether Chroma is done)``.

        Raises:
            DriftrecError: Nothing is known of the user (no events, versions or pending Chroma write).
        """
        pending = user_id in self.log.outbox_users()
        if not self.user_exists(user_id) and not self.log.profile_versions(user_id) and not pending:
            self.require_user(user_id)
        removed = self.log.forget(user_id, self._profile_collection_name)
        self._profiles.pop(user_id, None)
        self._outbox_retry_at = 0.0
        done = self.sync_chroma() == 0
        self.log.checkpoint()  # the outbox row named the user: its WAL frames go too
        return removed, done

    def copy_user(self, source: str, target: str) -> int:
        """Copy every event of ``source`` into the new user ``target`` (one transaction), so that
        feedback goes to a profile of one's own and the source (a data set's user) stays as it was.

        Returns:
            Events copied.
        """
        self.require_user(source)
        if self.user_exists(target):
            raise DriftrecError(f"user {target!r} exists already; a copy needs a new user id")
        copies = [dataclasses.replace(event, event_id=f"copy:{target}:{event.event_id}", user_id=target, seq=None)
                  for event in self.log.events_for(source)]
        return self.record(copies, save_versions=False)

    def forgotten_after(self, user_id: str, mark: int) -> bool:
        """Whether ``user_id`` was forgotten after forget record ``mark`` (see :meth:`forget_mark`)."""
        key = user_key(user_id)
        return any(k == key for _, k in self.log.forgotten_since(mark))

    def forget_mark(self) -> int:
        """The newest forget record now: a session keeps it to notice a later forget of its user."""
        return self.log.last_forget()

    def _drop_forgotten(self) -> None:
        """Drop cached profiles of users another process forgot since the last look."""
        news = self.log.forgotten_since(self._forgets_seen)
        if not news:
            return
        keys = {key for _, key in news}
        for user_id in [u for u in self._profiles if user_key(u) in keys]:
            del self._profiles[user_id]
        self._forgets_seen = news[-1][0]

    # --- Chroma, through the outbox ----------------------------------------------------------------

    def sync_chroma(self, force: bool = False) -> int:
        """Apply the pending Chroma writes in order; the number still pending.

        Consecutive upserts go to Chroma in one call (a bulk ingest queues one per user). A failure
        (Chroma down) keeps the entries and the error, and stops: the order of writes to one record
        matters. Within :data:`OUTBOX_RETRY_S` of a failure nothing is tried unless ``force``.
        """
        if self._sync_deferred or (not force and time.monotonic() < self._outbox_retry_at):
            return self.log.outbox_size()
        while entries := self.log.outbox(OUTBOX_BATCH):
            for group in _write_groups(entries):
                try:
                    self._apply(group)
                except Exception as error:  # noqa: BLE001 - Chroma's clients raise many types; all mean "retry later"
                    self.log.outbox_failed(group[0]["id"], f"{type(error).__name__}: {error}")
                    self._outbox_retry_at = time.monotonic() + OUTBOX_RETRY_S
                    self._chroma = None  # reconnect next time
                    log.warning("Chroma write for user %r pending (%s); it is retried later", group[0]["user_id"], error)
                    return self.log.outbox_size()
                self.log.outbox_done([entry["id"] for entry in group])
        return 0

    def _apply(self, group: list[dict[str, Any]]) -> None:
        """One delete, or upserts of distinct users into one collection, as one Chroma call."""
        collection = self._collection(group[0]["collection"])
        if group[0]["operation"] == "delete":
            ids = [entry["user_id"] for entry in group]
            collection.delete(ids=ids)
            if not self.settings.chroma_url:  # the embedded store keeps written records in its own queue
                purge_deleted_records(self.settings, collection, ids)
            return
        records = [entry["payload"] for entry in group]
        collection.upsert(ids=[entry["user_id"] for entry in group],
                          embeddings=np.asarray([r["embedding"] for r in records], dtype=np.float32),
                          documents=[r["document"] for r in records],
                          metadatas=[{**r["metadata"], "version": r["version"]} for r in records])

    # --- scoring -------------------------------------------------------------------------------

    def score(self, user_id: str) -> tuple[InterestProfile, Scored]:
        profile = self.profile(user_id)
        return profile, score_profile(profile, self.tables, self.features)

    def recommend(
        self, user_id: str, k: int = 10, constraints: Constraints | None = None, explore_seed: int | None = None
    ) -> list[dict[str, Any]]:
        """Top-k movies by posterior probability, each with its score breakdown.

        Args:
            user_id: The user.
            k: List length.
            constraints: Filters for this list only.
            explore_seed: Sample beliefs and prior (Thompson sampling) to widen the list.
        """
        if k < 1:
            raise DriftrecError(f"k must be at least 1, got {k}")
        _, scored = self.score(user_id)
        if constraints is not None:
            scored = scored.restrict(self._constraint_mask(constraints))
        explore = np.random.default_rng(explore_seed) if explore_seed is not None else None
        return self._cards(scored.top(k, self.tables.movie_ids, explore), scored, user_id)

    def explain(self, user_id: str, movie: str | int) -> dict[str, Any]:
        """The breakdown of one movie for this user, with its rank and whether it can be shown."""
        movie_id = self.movie_id(movie)
        profile, scored = self.score(user_id)
        row = self._row_of[movie_id]
        card = self._cards(np.array([row]), scored, user_id)[0]
        logit = scored.posterior_logit
        card["rank"] = int((logit > logit[row]).sum() + 1) if scored.allowed[row] else None
        card["status"] = (
            "seen" if movie_id in profile.counts
            else profile.feedback.excluded.get(movie_id) or ("excluded by a rule" if not scored.allowed[row] else "candidate")
        )
        return card

    def _cards(self, rows: np.ndarray, scored: Scored, user_id: str | None = None) -> list[dict[str, Any]]:
        """Cards with their breakdowns; history movies and movie feedback carry the user's own
        reaction to them (``reaction``: liked, rated, watched, disliked; ``facet_sources``: liked or
        asked_like), so a reason says "which you liked" only of a movie the user liked."""
        parts_of = breakdowns(scored, rows, self.tables)
        named = {item["movie_id"] for parts in parts_of for item in parts["history"]}
        named |= {int(f.split(":", 1)[1]) for parts in parts_of for f in parts["feedback"] if f.startswith("movie:")}
        reactions = self.log.reactions(user_id, sorted(named)) if user_id is not None else {}
        cards = []
        for row, parts in zip(rows.tolist(), parts_of):
            for item in parts["history"]:
                item["title"] = self.title(item["movie_id"])
                kind, value = reactions.get(item["movie_id"], ("watch", math.nan))
                item["reaction"] = _reaction_word(kind, value)
                if kind == "rating":
                    item["rating"] = value
            movie_facets = [f for f in parts["feedback"] if f.startswith("movie:")]
            if movie_facets:  # "movie:<id>" feedback, named for explanations
                parts["facet_titles"] = {f: self.title(int(f.split(":", 1)[1])) for f in movie_facets}
                parts["facet_sources"] = {
                    f: ("liked" if _reaction_word(*reactions.get(int(f.split(":", 1)[1]), ("none", 0.0))) == "liked"
                        else "asked_like") for f in movie_facets
                }
            cards.append({
                "movie_id": parts["movie_id"],
                "title": self._titles[row],
                "year": self._years[row],
                "genres": list(self._genres[row]),
                "score": parts["posterior_probability"],
                "breakdown": parts,
            })
        return cards

    def _constraint_mask(self, constraints: Constraints) -> np.ndarray:
        mask = np.ones(len(self.tables.movie_ids), dtype=bool)
        vocabulary = self.features.genre_vocabulary
        for genre in constraints.genres:
            mask &= self.features.genres[:, vocabulary.index(self.check_genre(genre))]
        for genre in constraints.exclude_genres:
            mask &= ~self.features.genres[:, vocabulary.index(self.check_genre(genre))]
        if constraints.years:
            first, last = parse_years(constraints.years)
            mask &= (self.features.years >= first) & (self.features.years <= last)
        return mask

    # --- profile summaries and versions ----------------------------------------------------------

    def describe(self, user_id: str) -> dict[str, Any]:
        """Facts about the profile: top genres long- and short-term, feedback, versions."""
        profile = self.profile(user_id)
        return {
            "user_id": user_id,
            "interactions": profile.interactions,
            "top_genres_long": self._genre_shares(list(profile.counts.items())),
            "top_genres_short": self._genre_shares([(m, 1) for m, _ in profile.recent]),
            "recent": [self.title(m) for m, _ in profile.recent[::-1][:5]],
            "feedback": profile.feedback.to_dict(),
            "versions": [
                {k: v for k, v in version.items() if k != "payload"}
                | {key: version["payload"].get(key) for key in VERSION_FACTS_SHOWN}
                for version in self.log.profile_versions(user_id)
            ],
        }

    def timeline(self, user_id: str, config: TimelineConfig = TimelineConfig()) -> pd.DataFrame:
        """The user's interest timeline: their events replayed, genre shares at each point
        (:func:`tracking.timeline.replay_timeline`); empty for a user with no events yet."""
        return replay_timeline(self.log.events_for(user_id), self.tables.window, self.tables, self.features,
                               self.event_label, config)

    def event_label(self, event: Event) -> str:
        """What an event was, in a few words: "👎 Fargo (1996)", "less Horror", "never 1980-1989"."""
        if event.movie_id is not None:
            title = self.title(int(event.movie_id))
            if event.kind is EventKind.RATING:
                return f"rated {title} {event.value:g}/5"
            return {EventKind.LIKE: "👍", EventKind.DISLIKE: "👎", EventKind.NOT_INTERESTED: "not interested:",
                    EventKind.WATCH: "watched"}.get(event.kind, str(event.kind)) + f" {title}"
        facet, value = str(event.attribute).split(":", 1)
        named = self.title(int(value)) if facet == "movie" and value.isdigit() and int(value) in self._row_of else value
        if event.hard:
            return f"{'only' if event.value > 0 else 'never'} {named}"
        if facet == "movie":
            return f"{'like' if event.value > 0 else 'unlike'} {named}"
        return f"{'more' if event.value > 0 else 'less'} {named}"

    def title(self, movie_id: int) -> str:
        return self._titles[self._row_of[movie_id]]

    def _genre_shares(self, weighted: list[tuple[int, float]]) -> dict[str, float]:
        if not weighted:
            return {}
        rows = np.array([self._row_of[m] for m, _ in weighted])
        weights = np.array([w for _, w in weighted], dtype=np.float64)
        totals = weights @ self.features.genres[rows].astype(np.float64)
        if totals.sum() == 0:
            return {}
        shares = totals / totals.sum()
        top = np.argsort(-shares)[:TOP_GENRES]
        return {self.features.genre_vocabulary[g]: round(float(shares[g]), 3) for g in top if shares[g] > 0}

    @cached_property
    def mention_vocabulary(self) -> MentionVocabulary:
        """The catalog's titles and genres, for checking generated text."""
        return MentionVocabulary(tuple(self._titles), tuple(self.features.genre_vocabulary))

    def summary_facts(self, user_id: str, previous: dict[str, Any] | None = None) -> dict[str, Any]:
        """What the interest summary may say, all computed here: genres, decades, movies, changes, rules.

        Args:
            user_id: The user.
            previous: The payload of the user's last profile version, to say what changed since.
        """
        profile = self.profile(user_id)
        return self._facts(profile, interest_of(profile, self.tables), previous)

    def _facts(self, profile: InterestProfile, interest: Interest, previous: dict[str, Any] | None) -> dict[str, Any]:
        history = list(profile.counts.items())
        recent = [(m, 1) for m, _ in profile.recent]
        long_genres = self._genre_shares(history)
        short_genres = self._genre_shares(recent)
        before = (previous or {}).get("top_genres_short") or {}
        beliefs = profile.feedback.active_beliefs()
        return {
            "interactions": profile.interactions,
            "top_genres_long": long_genres,
            "top_genres_short": short_genres,
            "new_recent_genres": [g for g in short_genres if before and g not in before],
            "decades_long": self._decades(history),
            "decades_recent": self._decades(recent),
            "representative": self._representative(interest),
            "recent_titles": [self.title(m) for m, _ in profile.recent[::-1][:3]],
            "feedback": profile.feedback.to_dict()["rules"],
            "beliefs": {facet: round(float(b.mean), 3) for facet, b in sorted(beliefs.items())},
            "as_of": profile.last_time,
            "feedback_genres": sorted(
                f"{'more' if belief.mean > 0 else 'less'} {facet.split(':', 1)[1]}"
                for facet, belief in beliefs.items() if facet.startswith("genre:")
            ),
        }

    def _decades(self, weighted: list[tuple[int, float]], top: int = 2) -> list[str]:
        if not weighted:
            return []
        years = self.features.years[[self._row_of[m] for m, _ in weighted]]
        weights = np.array([w for _, w in weighted], dtype=np.float64)
        known = ~np.isnan(years)
        if not known.any():
            return []
        decades, inverse = np.unique((years[known] // 10 * 10).astype(int), return_inverse=True)
        totals = np.bincount(inverse, weights=weights[known])
        return [f"{decades[i]}s" for i in np.argsort(-totals)[:top]]

    def _representative(self, interest: Interest, top: int = 3) -> list[str]:
        """The history movies closest to the long-term interest: what this user's taste looks like."""
        if not len(interest.history_rows):
            return []
        closeness = self.tables.long_in[interest.history_rows] @ interest.long_vector
        return [self._titles[interest.history_rows[i]] for i in np.argsort(-closeness)[:top]]

    def prepare_version(self, user_id: str) -> PendingVersion | None:
        """The next profile version's facts when the profile moved past the threshold, else None.

        v_u must have turned by :data:`VERSION_DISTANCE` (cosine) since the last version, or the hard
        rules changed. The summary is not written yet: see :meth:`save_version`.
        """
        profile = self.profile(user_id)
        interest = interest_of(profile, self.tables)
        vector = interest.vector.astype(np.float64)
        latest = self.log.latest_profile_version(user_id)
        if latest is not None:
            previous = np.asarray(latest["payload"]["vector"], dtype=np.float64)
            cosine = vector @ previous / max(np.linalg.norm(vector) * np.linalg.norm(previous), 1e-12)
            same_rules = latest["payload"]["feedback"] == profile.feedback.to_dict()["rules"]
            if 1.0 - cosine < VERSION_DISTANCE and same_rules and not self._beliefs_moved(profile, latest["payload"]):
                return None
        facts = self._facts(profile, interest, latest["payload"] if latest else None)
        return PendingVersion(user_id, facts, vector, profile.last_seq)

    @staticmethod
    def _beliefs_moved(profile: InterestProfile, payload: dict[str, Any]) -> bool:
        """Whether a feedback belief moved by :data:`BELIEF_CHANGE` since the version ``payload``."""
        before = payload.get("beliefs") or {}
        now = {facet: b.mean for facet, b in profile.feedback.active_beliefs().items()}
        return any(abs(now.get(f, 0.0) - before.get(f, 0.0)) >= BELIEF_CHANGE for f in {*before, *now})

    def write_version(self, pending: PendingVersion, summary: str, summary_source: str,
                      summary_refused: list[str] | None = None) -> int:
        """Store a prepared version with its summary in the event log and Chroma; its number.

        Args:
            summary_source: ``"llm"`` or ``"template"``.
            summary_refused: Why the model's text was refused, when the template stands in for it.
        """
        model = self.summary_model
        facts = {**pending.facts, "summary": summary, "summary_source": summary_source,
                 "summary_model": None if model is None else str(getattr(model, "model_name", type(model).__name__)),
                 "summary_refused": list(summary_refused or []),
                 "vector": pending.vector.round(6).tolist(), "time": time.time()}
        version = self.log.save_profile_version(pending.user_id, facts, pending.last_seq,
                                                chroma=(self._profile_collection_name, chroma_record(facts)))
        self.sync_chroma()
        return version

    @property
    def _profile_collection_name(self) -> str:
        return f"profiles.{self.settings.dataset}"

    def _collection(self, name: str) -> Any:
        if name == self._profile_collection_name:
            return self._profile_collection()
        return open_client(self.settings).get_or_create_collection(
            name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}})

    def _profile_collection(self) -> Any:
        if self._chroma is None:
            self._chroma = open_client(self.settings).get_or_create_collection(
                self._profile_collection_name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
            )
        return self._chroma

    def close(self) -> None:
        self.log.close()


LIKED_FROM = 4.0
"""A rating this high says the user liked the movie; at or below DISLIKED_TO it says they did not."""
DISLIKED_TO = 2.5


def chroma_record(payload: dict[str, Any], written_at: float | None = None) -> dict[str, Any]:
    """The Chroma record of a profile version (its stored payload): vector, summary, metadata.

    Args:
        written_at: When the version was stored, for payloads written before they carried ``time``.
    """
    return {
        "embedding": np.asarray(payload["vector"], dtype=np.float32).tolist(),
        "document": payload.get("summary") or "",
        "metadata": {
            "time": payload.get("time", written_at),
            "summary_source": payload.get("summary_source") or "template",
            "top_genres_long": ", ".join(payload.get("top_genres_long") or []) or "none",
            "top_genres_short": ", ".join(payload.get("top_genres_short") or []) or "none",
        },
    }


def _write_groups(entries: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Entries in order, cut into Chroma calls: runs of upserts of distinct users into one
    collection go together; a delete goes alone."""
    groups: list[list[dict[str, Any]]] = []
    for entry in entries:
        last = groups[-1] if groups else None
        if (last is not None and entry["operation"] == "upsert" and last[0]["operation"] == "upsert"
                and last[0]["collection"] == entry["collection"] and all(e["user_id"] != entry["user_id"] for e in last)):
            last.append(entry)
        else:
            groups.append([entry])
    return groups


def _reaction_word(kind: str, value: float) -> str:
    """How a reason may speak of the user's own reaction to a movie."""
    if kind == "like" or (kind == "rating" and value >= LIKED_FROM):
        return "liked"
    if kind == "dislike" or (kind == "rating" and value <= DISLIKED_TO):
        return "disliked"
    if kind == "rating":
        return "rated"
    return "watched" if kind == "watch" else "none"


def _load_tables(settings: Settings) -> ScoringTables:
    path = tables_path(settings)
    if not path.is_file():
        raise DriftrecError(f"no trained model for {settings.dataset}; run `driftrec train --dataset {settings.dataset}` first")
    return ScoringTables.load(path)


def _aligned_movies(catalog: Catalog, tables: ScoringTables) -> pd.DataFrame:
    movies = catalog.movies.set_index("movie_id", drop=False)
    missing = np.setdiff1d(tables.movie_ids, movies.index.to_numpy())
    if len(missing):
        raise DriftrecError(
            f"the trained model knows {len(missing)} movies that the catalog lacks (e.g. {missing[:3].tolist()}); "
            "retrain with `driftrec train`"
        )
    aligned = movies.loc[tables.movie_ids].reset_index(drop=True)
    aligned["popularity"] = tables.item_vectors[:, -1]
    return aligned
